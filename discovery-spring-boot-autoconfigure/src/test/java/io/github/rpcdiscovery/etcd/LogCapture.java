package io.github.rpcdiscovery.etcd;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Records what the given loggers log, to assert "one WARN, not one per reload". */
final class LogCapture implements AutoCloseable {

	private final List<Logger> loggers;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private LogCapture(List<Logger> loggers) {
		this.loggers = loggers;
		this.appender.start();
		loggers.forEach((logger) -> logger.addAppender(this.appender));
	}

	static LogCapture of(Class<?>... types) {
		return new LogCapture(List.of(types).stream().map((type) -> (Logger) LoggerFactory.getLogger(type)).toList());
	}

	List<String> messages(Level level) {
		synchronized (this.appender) {
			return this.appender.list.stream()
				.filter((event) -> event.getLevel() == level)
				.map(ILoggingEvent::getFormattedMessage)
				.toList();
		}
	}

	/** Messages at the level that contain the text. */
	List<String> messages(Level level, String containing) {
		return messages(level).stream().filter((message) -> message.contains(containing)).toList();
	}

	/** Whether any event carried a stack trace. */
	boolean anyStackTrace() {
		synchronized (this.appender) {
			return this.appender.list.stream().anyMatch((event) -> event.getThrowableProxy() != null);
		}
	}

	@Override
	public void close() {
		this.loggers.forEach((logger) -> logger.detachAppender(this.appender));
		this.appender.stop();
	}

}
