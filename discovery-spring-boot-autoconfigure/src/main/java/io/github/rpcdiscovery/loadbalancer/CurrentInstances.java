package io.github.rpcdiscovery.loadbalancer;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultResponse;
import org.springframework.cloud.client.loadbalancer.Response;

/**
 * One instance list of a service, as the catalog emitted it, and the balancer's answer for each instance made once:
 * Spring Cloud LoadBalancer wants a {@code Response} (in a {@code Mono}) per pick, and an immutable one per instance
 * can be handed to every call, so a pick allocates nothing. Built once per list change.
 */
final class CurrentInstances {

	private final List<ServiceInstance> instances;

	private final Map<ServiceInstance, Answer> answers;

	CurrentInstances(List<ServiceInstance> instances) {
		this.instances = instances;
		// by identity: the balancer returns one of these very objects, and equal instances may differ in metadata
		this.answers = new IdentityHashMap<>(instances.size() * 2);
		for (ServiceInstance instance : instances) {
			this.answers.put(instance, new Answer(instance));
		}
	}

	List<ServiceInstance> instances() {
		return this.instances;
	}

	/** The ready response for one of {@link #instances()}; a new one for any other instance. */
	Response<ServiceInstance> response(ServiceInstance chosen) {
		Answer answer = this.answers.get(chosen);
		return (answer != null) ? answer.response : new DefaultResponse(chosen);
	}

	/** The same, in a {@code Mono}. */
	Mono<Response<ServiceInstance>> answer(ServiceInstance chosen) {
		Answer answer = this.answers.get(chosen);
		return (answer != null) ? answer.mono : Mono.just(new DefaultResponse(chosen));
	}

	private static final class Answer {

		final Response<ServiceInstance> response;

		final Mono<Response<ServiceInstance>> mono;

		Answer(ServiceInstance instance) {
			this.response = new DefaultResponse(instance);
			this.mono = Mono.just(this.response);
		}

	}

}
