package io.github.rpcdiscovery.cloud;

import java.util.List;
import java.util.stream.Collectors;

import io.github.rpcdiscovery.core.CatalogChange;
import io.github.rpcdiscovery.core.CatalogListener;
import io.github.rpcdiscovery.core.DiscoveredInstance;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** One INFO line per instance-list change: service, added, removed, how many now, and where it came from. */
public final class CatalogChangeLogger implements CatalogListener {

	private static final Log logger = LogFactory.getLog("io.github.rpcdiscovery.instances");

	@Override
	public void onChange(CatalogChange change) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		StringBuilder line = new StringBuilder("Instances of '").append(change.serviceId()).append("': ");
		line.append(change.current().instances().size()).append(" (");
		line.append(change.previous() == null ? "first load" : "was " + change.previous().instances().size());
		line.append(", ").append(change.current().origin()).append(")");
		append(line, " added ", change.added());
		append(line, " removed ", change.removed());
		append(line, " updated ", change.updated());
		logger.info(line);
	}

	private static void append(StringBuilder line, String label, List<DiscoveredInstance> instances) {
		if (!instances.isEmpty()) {
			line.append(label)
				.append(instances.stream().map((i) -> i.getAddress().toString()).collect(Collectors.joining(", ", "[", "]")));
		}
	}

}
