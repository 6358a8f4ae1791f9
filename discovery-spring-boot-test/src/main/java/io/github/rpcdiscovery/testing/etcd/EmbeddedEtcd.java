package io.github.rpcdiscovery.testing.etcd;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.test.annotation.DirtiesContext;

/**
 * Runs a real etcd for the annotated test class: the {@code etcd} binary of the PATH on a free 127.0.0.1 port with a
 * temp data dir, started before the class and stopped (its data deleted) after it. No Docker.
 * <p>
 * In a {@code @SpringBootTest} the application's {@code rpc.etcd.hosts} is that etcd, so the application registers
 * in it and discovers from it with no etcd address written anywhere. A test method (or constructor, or lifecycle
 * method) can take an {@link EmbeddedEtcdServer} parameter to reach it directly.
 * <p>
 * The Spring context of the class is closed after the class (before etcd stops), so its registration ends cleanly
 * and no cached context points at a stopped etcd. A missing binary fails the class with the command that installs
 * it ({@code apt-get install -y etcd-server etcd-client}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedEtcdExtension.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public @interface EmbeddedEtcd {

}
