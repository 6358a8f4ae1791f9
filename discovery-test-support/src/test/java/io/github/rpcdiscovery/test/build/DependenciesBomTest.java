package io.github.rpcdiscovery.test.build;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The BOM users import (discovery-dependencies) manages the versions the project itself is built and tested with: a
 * user who imports it before spring-cloud-dependencies gets fabric8 8.0, not Spring Cloud's 7.4.
 */
class DependenciesBomTest {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	@Test
	void theBomManagesTheVersionsTheBuildUses() throws Exception {
		Document root = parse(ROOT.resolve("pom.xml"));
		Document bom = parse(ROOT.resolve("discovery-dependencies/pom.xml"));

		Map<String, String> built = managedVersions(root);
		Map<String, String> published = managedVersions(bom);

		for (String artifact : new String[] { "io.fabric8:kubernetes-client-bom", "io.etcd:jetcd-core",
				"io.vertx:vertx-core", "io.vertx:vertx-core-logging" }) {
			assertThat(published.get(artifact)).as(artifact).isNotNull().isEqualTo(built.get(artifact));
		}
		assertThat(text(bom, "version")).isEqualTo(text(root, "version"));
	}

	/** Every module an application adds (the starter, and the test modules with test scope) is in the BOM. */
	@Test
	void theBomManagesEveryModuleApplicationsAdd() throws Exception {
		Document root = parse(ROOT.resolve("pom.xml"));
		Map<String, String> published = managedVersions(parse(ROOT.resolve("discovery-dependencies/pom.xml")));
		NodeList modules = root.getElementsByTagName("module");
		List<String> built = new ArrayList<>();
		for (int i = 0; i < modules.getLength(); i++) {
			built.add(modules.item(i).getTextContent().trim());
		}
		for (String module : new String[] { "discovery-spring-boot-starter", "discovery-spring-boot-autoconfigure",
				"discovery-spring-boot-test", "discovery-spring-boot-testcontainers" }) {
			assertThat(built).as("root <modules>").contains(module);
			assertThat(published.get("io.github.rpcdiscovery:" + module)).as(module).isEqualTo("${project.version}");
		}
	}

	@Test
	void theBomHasNoParentSoImportingItBringsNothingElse() throws Exception {
		Document bom = parse(ROOT.resolve("discovery-dependencies/pom.xml"));
		assertThat(bom.getDocumentElement().getElementsByTagName("parent").getLength()).isZero();
	}

	/** groupId:artifactId → version, with ${property} references resolved from the pom's own properties. */
	private static Map<String, String> managedVersions(Document pom) {
		Map<String, String> versions = new LinkedHashMap<>();
		Element management = (Element) pom.getDocumentElement().getElementsByTagName("dependencyManagement").item(0);
		NodeList dependencies = management.getElementsByTagName("dependency");
		for (int i = 0; i < dependencies.getLength(); i++) {
			Element dependency = (Element) dependencies.item(i);
			String version = child(dependency, "version");
			versions.put(child(dependency, "groupId") + ":" + child(dependency, "artifactId"), resolve(pom, version));
		}
		return versions;
	}

	private static String resolve(Document pom, String value) {
		if (value != null && value.startsWith("${") && value.endsWith("}")) {
			String name = value.substring(2, value.length() - 1);
			NodeList found = pom.getElementsByTagName(name);
			return (found.getLength() > 0) ? found.item(0).getTextContent().trim() : value;
		}
		return value;
	}

	private static String child(Element element, String name) {
		NodeList found = element.getElementsByTagName(name);
		return (found.getLength() > 0) ? found.item(0).getTextContent().trim() : null;
	}

	/** A direct child of the project element (not the parent's). */
	private static String text(Document pom, String name) {
		NodeList children = pom.getDocumentElement().getChildNodes();
		for (int i = 0; i < children.getLength(); i++) {
			if (children.item(i) instanceof Element element && element.getTagName().equals(name)) {
				return element.getTextContent().trim();
			}
		}
		return null;
	}

	private static Document parse(Path pom) throws Exception {
		assertThat(pom).exists();
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(pom));
	}

}
