package io.github.rpcdiscovery.kubernetes;

import java.util.List;

/**
 * One watched Kubernetes Service, for the health endpoint.
 *
 * @param namespace the namespace
 * @param service the Service
 * @param serviceIds the service ids resolving to it
 * @param state {@code listing}, {@code watching}, {@code reconnecting (last list kept)} or {@code access denied}
 * @param slices how many EndpointSlices it has
 */
record WatchStatus(String namespace, String service, List<String> serviceIds, String state, int slices) {

}
