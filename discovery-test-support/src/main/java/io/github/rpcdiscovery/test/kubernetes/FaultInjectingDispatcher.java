package io.github.rpcdiscovery.test.kubernetes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * Sits in front of the CRUD dispatcher and answers some requests the way a real API server would when RBAC denies
 * them (403 with the server's own wording, naming the user) or when a watch's resource version is too old (410). Every
 * other request reaches the CRUD dispatcher, so the mock behaves as a cluster would.
 */
final class FaultInjectingDispatcher extends Dispatcher {

	private final Dispatcher crud;

	private final List<Denial> denials = new CopyOnWriteArrayList<>();

	private final AtomicBoolean goneOnNextWatch = new AtomicBoolean();

	private final List<String> paths = new CopyOnWriteArrayList<>();

	private final List<ApiRequest> received = new CopyOnWriteArrayList<>();

	FaultInjectingDispatcher(Dispatcher crud) {
		this.crud = crud;
	}

	void deny(Denial denial) {
		this.denials.add(denial);
	}

	void allowAll() {
		this.denials.clear();
	}

	void goneOnNextWatch() {
		this.goneOnNextWatch.set(true);
	}

	/** How many requests so far had a path matching this. */
	int requests(Predicate<String> path) {
		return (int) this.paths.stream().filter(path).count();
	}

	/** Every request received so far, in order. */
	List<ApiRequest> received() {
		return List.copyOf(this.received);
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		String path = request.getPath();
		this.paths.add(path);
		this.received.add(new ApiRequest(request.getMethod(), path, request.getHeader("Authorization")));
		for (Denial denial : this.denials) {
			if (denial.matches(request)) {
				return denial.response(request);
			}
		}
		if (path.contains("watch=true") && this.goneOnNextWatch.compareAndSet(true, false)) {
			return status(410, "Gone", "Expired", "too old resource version");
		}
		MockResponse response = this.crud.dispatch(request);
		if (response.getWebSocketListener() != null) {
			response.withWebSocketUpgrade(new OffLoopClosingListener(response.getWebSocketListener()));
		}
		return response;
	}

	@Override
	public void shutdown() {
		this.crud.shutdown();
	}

	static MockResponse status(int code, String status, String reason, String message) {
		String body = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
				+ message.replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
		return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
	}

	/**
	 * Requests from one user (recognised by its bearer token, as the API server does) to endpoint slices matching a
	 * path condition are forbidden.
	 */
	record Denial(String token, String user, Predicate<String> path) {

		boolean matches(RecordedRequest request) {
			String authorization = request.getHeader("Authorization");
			return authorization != null && authorization.equals("Bearer " + this.token)
					&& this.path.test(request.getPath());
		}

		MockResponse response(RecordedRequest request) {
			String path = request.getPath();
			String verb = path.contains("watch=true") ? "watch" : "list";
			String namespace = between(path, "/namespaces/", "/");
			// the API server's own wording, e.g. for a ServiceAccount without the Role
			String message = "endpointslices.discovery.k8s.io is forbidden: User \"" + this.user
					+ "\" cannot " + verb + " resource \"endpointslices\" in API group \"discovery.k8s.io\" in the"
					+ " namespace \"" + namespace + "\"";
			return status(403, "Forbidden", "Forbidden", message);
		}

		private static String between(String text, String start, String end) {
			int from = text.indexOf(start);
			if (from < 0) {
				return "";
			}
			from += start.length();
			int to = text.indexOf(end, from);
			return (to < 0) ? text.substring(from) : text.substring(from, to);
		}

	}

}
