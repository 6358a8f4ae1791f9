package io.github.rpcdiscovery.soak.app;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerPortFileWriter;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A client of the soak: an open-loop load ({@code soak.rps} calls a second, started on time whether or not earlier
 * ones finished) of {@code GET http://<soak.service>/ping} through a {@code @LoadBalanced} RestClient with Spring
 * Cloud's retries on. {@code GET /soak/view} reports what discovery lists now, the call counts and the failures since
 * the last report; {@code GET /soak/jvm} its threads and heap after GC.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
@RestController
public class SoakClientApp {

	/** The instance the current call's last attempt went to: the request factory sees the URI the balancer chose. */
	private static final ThreadLocal<String> lastTarget = ThreadLocal.withInitial(() -> "-");

	private final CallLog log = new CallLog();

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

	// bounded: a paused client's backlog of ticks is dropped rather than piled up
	private final ExecutorService callers = new ThreadPoolExecutor(16, 16, 0, TimeUnit.SECONDS,
			new java.util.concurrent.ArrayBlockingQueue<>(64), new ThreadPoolExecutor.DiscardPolicy());

	private final ObjectProvider<DiscoveryClient> discovery;

	@Value("${soak.service}")
	private String service;

	@Value("${soak.rps:20}")
	private int rps;

	SoakClientApp(ObjectProvider<DiscoveryClient> discovery) {
		this.discovery = discovery;
	}

	@Bean
	@LoadBalanced
	RestClient.Builder loadBalancedRestClientBuilder() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
		factory.setReadTimeout(Duration.ofSeconds(2));
		return RestClient.builder().requestFactory(new TargetRecording(factory));
	}

	@EventListener
	void startLoad(ApplicationReadyEvent ready) {
		RestClient rest = ready.getApplicationContext().getBean(RestClient.Builder.class).build();
		String uri = "http://" + this.service + "/ping";
		this.ticker.scheduleAtFixedRate(() -> this.callers.execute(() -> call(rest, uri)), 0, 1_000_000 / this.rps,
				TimeUnit.MICROSECONDS);
	}

	private void call(RestClient rest, String uri) {
		long start = System.currentTimeMillis();
		lastTarget.set("-");
		try {
			rest.get().uri(uri).retrieve().body(String.class);
			this.log.success();
		}
		catch (RuntimeException ex) {
			this.log.failure(start, lastTarget.get(), ex);
		}
	}

	@GetMapping("/soak/view")
	String view() {
		List<String> view = this.discovery.getObject()
			.getInstances(this.service)
			.stream()
			.map((ServiceInstance instance) -> instance.getHost() + ":" + instance.getPort())
			.sorted()
			.toList();
		StringBuilder out = new StringBuilder("view ").append(String.join(",", view)).append('\n');
		out.append("calls ").append(this.log.calls()).append('\n');
		out.append("ok ").append(this.log.succeeded()).append('\n');
		this.log.drainFailures().forEach((line) -> out.append(line).append('\n'));
		return out.toString();
	}

	@GetMapping("/soak/jvm")
	String jvm() {
		return JvmProbe.report();
	}

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SoakClientApp.class);
		application.addListeners(new WebServerPortFileWriter());
		application.run(args);
	}

	private record TargetRecording(ClientHttpRequestFactory delegate) implements ClientHttpRequestFactory {

		@Override
		public ClientHttpRequest createRequest(URI uri, HttpMethod method) throws IOException {
			lastTarget.set(uri.getHost() + ":" + uri.getPort());
			return this.delegate.createRequest(uri, method);
		}

	}

}
