package io.github.rpcdiscovery.target;

/**
 * A service id and where its instances come from.
 *
 * @param serviceId the id callers use, e.g. {@code http://user.rpc/}
 * @param target where its instances come from
 * @param declaredBy the property that declared it (e.g. {@code rpc.clients[0]}), or a note such as
 * {@code "rpc.etcd (any service id)"} when it was derived
 */
public record Upstream(String serviceId, RpcTarget target, String declaredBy) {

}
