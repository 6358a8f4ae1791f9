package io.github.rpcdiscovery.test.kubernetes;

/**
 * One request the mock API server received, as it arrived on the wire.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param path the path with its query, e.g. {@code /api/v1/namespaces/shop/services?watch=true}
 * @param authorization the {@code Authorization} header, {@code null} without one
 */
public record ApiRequest(String method, String path, String authorization) {

	/** Whether it carried this bearer token. */
	public boolean hasToken(String token) {
		return ("Bearer " + token).equals(this.authorization);
	}

}
