package io.github.rpcdiscovery.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.Config;
import org.jspecify.annotations.Nullable;

/**
 * Who a bearer token says it is, for error messages: the {@code sub} claim of a service account token
 * ({@code system:serviceaccount:<namespace>:<name>}). Reads the unsigned payload only; the token itself is never kept,
 * printed or logged.
 */
final class ServiceAccountToken {

	private static final Pattern SUBJECT = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"");

	private ServiceAccountToken() {
	}

	static @Nullable String subject(Config config) {
		String subject = subject(config.getOauthToken());
		return (subject != null) ? subject : subject(config.getAutoOAuthToken());
	}

	static @Nullable String subject(@Nullable String token) {
		if (token == null) {
			return null;
		}
		String[] parts = token.split("\\.");
		if (parts.length != 3) {
			return null;
		}
		try {
			String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
			Matcher matcher = SUBJECT.matcher(payload);
			return matcher.find() ? matcher.group(1) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
