/**
 * An embedded etcd for applications' own tests: {@link io.github.rpcdiscovery.testing.EmbeddedEtcd}.
 */
@NullMarked
package io.github.rpcdiscovery.testing;

import org.jspecify.annotations.NullMarked;
