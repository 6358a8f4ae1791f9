package io.github.rpcdiscovery.loadbalancer;

import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.loadbalancer.HintRequestContext;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.RequestData;
import org.springframework.cloud.client.loadbalancer.RequestDataContext;
import org.springframework.http.HttpHeaders;

/**
 * A call's subset hint, read as Spring Cloud's hint-based supplier reads it: the hint header of the request
 * ({@code spring.cloud.loadbalancer.hint-header-name}, {@code X-SC-LB-Hint} by default) first, else the hint Spring
 * Cloud put in the request context ({@code spring.cloud.loadbalancer.hint.<serviceId>}, or
 * {@code spring.cloud.loadbalancer.hint.default}). {@code default} and blank mean no hint, as in Spring Cloud.
 */
final class RequestHint {

	/** Spring Cloud's value for "no hint". */
	static final String NONE = "default";

	private RequestHint() {
	}

	@SuppressWarnings("rawtypes")
	static @Nullable String of(@Nullable Request request, String headerName) {
		Object context = (request != null) ? request.getContext() : null;
		if (context instanceof RequestDataContext data) {
			RequestData client = data.getClientRequest();
			HttpHeaders headers = (client != null) ? client.getHeaders() : null;
			String header = (headers != null) ? headers.getFirst(headerName) : null;
			if (isHint(header)) {
				return header.strip();
			}
		}
		if (context instanceof HintRequestContext hinted && isHint(hinted.getHint())) {
			return hinted.getHint().strip();
		}
		return null;
	}

	private static boolean isHint(@Nullable String value) {
		return value != null && !value.isBlank() && !NONE.equals(value.strip());
	}

}
