/**
 * An embedded etcd for applications' own tests: {@link io.github.rpcdiscovery.testing.etcd.EmbeddedEtcd}.
 */
@NullMarked
package io.github.rpcdiscovery.testing.etcd;

import org.jspecify.annotations.NullMarked;
