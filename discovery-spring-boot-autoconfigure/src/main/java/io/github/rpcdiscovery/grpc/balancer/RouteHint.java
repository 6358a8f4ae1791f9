package io.github.rpcdiscovery.grpc.balancer;

import io.grpc.CallOptions;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.Metadata;
import org.jspecify.annotations.Nullable;

/**
 * A gRPC call's subset hint for {@code p2c_ewma}: the call option {@link #CALL_OPTION} (set in code with
 * {@code stub.withOption(RouteHint.CALL_OPTION, "canary")}) or else the request metadata key {@value #HEADER_NAME}
 * (the same name as Spring Cloud LoadBalancer's default hint header, so a hint can be forwarded from an HTTP request
 * to a gRPC call as is). The hint selects the instances whose metadata {@code rpc.balancer.subset.key} (version by
 * default) has its value. {@code default} and blank mean no hint, as in Spring Cloud.
 */
public final class RouteHint {

	/** The call option carrying the hint. */
	public static final CallOptions.Key<String> CALL_OPTION = CallOptions.Key.create("rpc-route-hint");

	/** The request metadata key carrying the hint (Spring Cloud's default hint header, lower case). */
	public static final String HEADER_NAME = "x-sc-lb-hint";

	/** {@link #HEADER_NAME} as a metadata key. */
	public static final Metadata.Key<String> HEADER = Metadata.Key.of(HEADER_NAME, Metadata.ASCII_STRING_MARSHALLER);

	private RouteHint() {
	}

	static @Nullable String of(PickSubchannelArgs args) {
		String hint = args.getCallOptions().getOption(CALL_OPTION);
		if (hint == null) {
			hint = args.getHeaders().get(HEADER);
		}
		return (hint == null || hint.isBlank() || hint.strip().equals("default")) ? null : hint.strip();
	}

}
