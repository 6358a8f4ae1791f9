package io.github.rpcdiscovery.etcd;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import io.github.rpcdiscovery.target.EtcdCluster;
import io.github.rpcdiscovery.test.net.FreePorts;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Failures sorted into what a user can fix, with etcd's own words and never a password. */
class EtcdFailureTest {

	private final EtcdCluster cluster = new EtcdCluster(List.of("127.0.0.1:" + FreePorts.next()), "app", "s3cret",
			null, null, null, false);

	@Test
	void refusedCredentialsAreAuthenticationFailures() {
		RuntimeException wrongPassword = Status.UNAUTHENTICATED
			.withCause(Status.INVALID_ARGUMENT
				.withDescription("etcdserver: authentication failed, invalid user ID or password")
				.asRuntimeException())
			.asRuntimeException();
		EtcdFailure failure = EtcdFailure.of(new CompletionException(wrongPassword), this.cluster);
		assertThat(failure.kind()).isEqualTo(EtcdFailure.Kind.AUTHENTICATION);
		assertThat(failure.description()).isEqualTo(
				"UNAUTHENTICATED: etcdserver: authentication failed, invalid user ID or password");
		assertThat(failure.fix(this.cluster)).contains("rpc.etcd.user ('app')", "rpc.etcd.pass").doesNotContain("s3cret");
		assertThat(EtcdFailure.quickKind(wrongPassword)).isEqualTo(EtcdFailure.Kind.AUTHENTICATION);
	}

	@Test
	void otherAnswersAreSortedByEtcdsCode() {
		assertThat(kind(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied")))
			.isEqualTo(EtcdFailure.Kind.PERMISSION);
		assertThat(kind(Status.UNAVAILABLE.withDescription("etcdserver: no leader")))
			.isEqualTo(EtcdFailure.Kind.UNREACHABLE);
		assertThat(kind(Status.INVALID_ARGUMENT.withDescription("etcdserver: user name is empty")))
			.isEqualTo(EtcdFailure.Kind.AUTHENTICATION);
		assertThat(kind(Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: too many requests")))
			.isEqualTo(EtcdFailure.Kind.REJECTED);
		assertThat(EtcdFailure.isLeaseNotFound(
				Status.NOT_FOUND.withDescription("etcdserver: requested lease not found").asRuntimeException())).isTrue();
		assertThat(EtcdFailure.isLeaseNotFound(Status.UNAVAILABLE.asRuntimeException())).isFalse();
	}

	/** Discovery and registration sort etcd's errors the same way: one classifier. */
	@Test
	void compactionAndBrokenPathsAreSortedForDiscoveryToo() {
		assertThat(EtcdFailure.quickKind(new CompletionException(
				io.etcd.jetcd.common.exception.EtcdExceptionFactory.newCompactedException(42))))
			.isEqualTo(EtcdFailure.Kind.COMPACTED);
		assertThat(EtcdFailure.quickKind(
				Status.OUT_OF_RANGE.withDescription("etcdserver: mvcc: required revision has been compacted")
					.asRuntimeException()))
			.isEqualTo(EtcdFailure.Kind.COMPACTED);
		assertThat(EtcdFailure.quickKind(new java.io.IOException("Connection reset by peer")))
			.isEqualTo(EtcdFailure.Kind.UNREACHABLE);
		assertThat(EtcdFailure.quickKind(Status.CANCELLED.withDescription("io exception").asRuntimeException()))
			.isEqualTo(EtcdFailure.Kind.UNREACHABLE);
		assertThat(EtcdFailure.quickKind(Status.UNAVAILABLE.withDescription("etcdserver: leader changed")
			.asRuntimeException())).isEqualTo(EtcdFailure.Kind.UNREACHABLE);
		assertThat(EtcdFailure.quickKind(Status.RESOURCE_EXHAUSTED
			.withDescription("gRPC message exceeds maximum size 4194304: 4800322")
			.asRuntimeException())).isEqualTo(EtcdFailure.Kind.REJECTED);
		assertThat(EtcdFailure.oneLine(new CompletionException(new TimeoutException()))).isEqualTo("no answer in time");
		assertThat(EtcdFailure.oneLine(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied")
			.asRuntimeException())).isEqualTo("PERMISSION_DENIED: etcdserver: permission denied");
	}

	@Test
	void aTimeoutIsExplainedByCheckingTheConnection() {
		EtcdFailure failure = EtcdFailure.of(new TimeoutException(), this.cluster);
		assertThat(failure.kind()).isEqualTo(EtcdFailure.Kind.UNREACHABLE);
		assertThat(failure.description()).startsWith("connection refused by " + this.cluster.hosts().get(0));
		assertThat(EtcdFailure.of(Status.DEADLINE_EXCEEDED.asRuntimeException(), this.cluster).description())
			.startsWith("connection refused by");
		assertThat(EtcdFailure.quickKind(new TimeoutException())).isEqualTo(EtcdFailure.Kind.UNREACHABLE);
	}

	private EtcdFailure.Kind kind(Status status) {
		return EtcdFailure.of(status.asRuntimeException(), this.cluster).kind();
	}

}
