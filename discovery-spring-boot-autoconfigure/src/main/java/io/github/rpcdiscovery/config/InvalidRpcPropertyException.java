package io.github.rpcdiscovery.config;

/**
 * A property of the {@code rpc:} block has a value that cannot work. Carries what a
 * {@link org.springframework.boot.diagnostics.FailureAnalyzer} needs to say which property, which value, what is
 * wrong and how to fix it.
 */
public class InvalidRpcPropertyException extends RuntimeException {

	private final String property;

	private final String value;

	private final String problem;

	private final String fix;

	public InvalidRpcPropertyException(String property, Object value, String problem, String fix) {
		super(property + " = '" + value + "': " + problem);
		this.property = property;
		this.value = String.valueOf(value);
		this.problem = problem;
		this.fix = fix;
	}

	public String getProperty() {
		return this.property;
	}

	public String getValue() {
		return this.value;
	}

	public String getProblem() {
		return this.problem;
	}

	public String getFix() {
		return this.fix;
	}

}
