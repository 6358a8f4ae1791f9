package io.github.rpcdiscovery.loadbalancer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;

import io.github.rpcdiscovery.balancer.Outcome;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.CompletionContext.Status;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;

class OutcomeClassifierTest {

	@Test
	void aRefusedConnectionIsAConnectFailureHoweverItIsWrapped() {
		ConnectException refused = new ConnectException("Connection refused");
		assertThat(failed(refused)).isEqualTo(Outcome.CONNECT_FAILURE);
		assertThat(failed(new ResourceAccessException("I/O error", refused))).isEqualTo(Outcome.CONNECT_FAILURE);
		assertThat(failed(new WebClientRequestException(refused, HttpMethod.GET, URI.create("http://127.0.0.1:1/"),
				new HttpHeaders()))).isEqualTo(Outcome.CONNECT_FAILURE);
	}

	@Test
	void connectTimeoutsAreConnectFailuresReadTimeoutsAreFailures() {
		assertThat(failed(new HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo(Outcome.CONNECT_FAILURE);
		assertThat(failed(new SocketTimeoutException("Connect timed out"))).isEqualTo(Outcome.CONNECT_FAILURE);
		assertThat(failed(new SocketTimeoutException("Read timed out"))).isEqualTo(Outcome.FAILURE);
		assertThat(failed(new IOException("Connection reset by peer"))).isEqualTo(Outcome.FAILURE);
	}

	@Test
	void fiveHundredsAreFailuresOtherStatusesAreSuccesses() {
		assertThat(answered(new ResponseData(HttpStatus.SERVICE_UNAVAILABLE, new HttpHeaders(), null, null)))
			.isEqualTo(Outcome.FAILURE);
		assertThat(answered(new ResponseData(HttpStatus.NOT_FOUND, new HttpHeaders(), null, null)))
			.isEqualTo(Outcome.SUCCESS);
		assertThat(answered(new MockClientHttpResponse(new byte[0], HttpStatus.INTERNAL_SERVER_ERROR)))
			.isEqualTo(Outcome.FAILURE);
		assertThat(answered(new MockClientHttpResponse(new byte[0], HttpStatus.OK))).isEqualTo(Outcome.SUCCESS);
		assertThat(answered(null)).isEqualTo(Outcome.SUCCESS);
	}

	private static Outcome failed(Throwable failure) {
		return OutcomeClassifier.classify(new CompletionContext<>(Status.FAILED, failure, new DefaultRequest<>(), null));
	}

	private static Outcome answered(Object response) {
		return OutcomeClassifier
			.classify(new CompletionContext<>(Status.SUCCESS, new DefaultRequest<>(), null, response));
	}

}
