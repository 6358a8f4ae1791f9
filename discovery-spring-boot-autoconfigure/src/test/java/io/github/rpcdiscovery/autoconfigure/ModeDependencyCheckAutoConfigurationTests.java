package io.github.rpcdiscovery.autoconfigure;

import io.etcd.jetcd.Client;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.rpcdiscovery.diagnostics.MissingModeDependencyException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** A configured mode whose library a build excluded stops the startup naming the dependency; others start. */
class ModeDependencyCheckAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ModeDependencyCheckAutoConfiguration.class));

	@Test
	void etcdConfiguredWithoutJetcdNamesJetcd() {
		this.runner.withClassLoader(new FilteredClassLoader(Client.class))
			.withPropertyValues("rpc.etcd.hosts=127.0.0.1:2379")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(MissingModeDependencyException.class)
				.hasMessageContaining("io.etcd:jetcd-core"));
	}

	@Test
	void kubernetesConfiguredWithoutFabric8NamesFabric8() {
		this.runner.withClassLoader(new FilteredClassLoader(KubernetesClient.class))
			.withPropertyValues("rpc.target=k8s://shop/cart:8080")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(MissingModeDependencyException.class)
				.hasMessageContaining("io.fabric8:kubernetes-client"));
	}

	@Test
	void aMissingLibraryOfAnUnconfiguredModeIsFine() {
		this.runner.withClassLoader(new FilteredClassLoader(Client.class, KubernetesClient.class))
			.withPropertyValues("rpc.name=a", "rpc.endpoints=127.0.0.1:8081")
			.run((context) -> assertThat(context).hasNotFailed());
		this.runner.withClassLoader(new FilteredClassLoader(KubernetesClient.class))
			.withPropertyValues("rpc.etcd.hosts=127.0.0.1:2379")
			.run((context) -> assertThat(context).hasNotFailed());
	}

}
