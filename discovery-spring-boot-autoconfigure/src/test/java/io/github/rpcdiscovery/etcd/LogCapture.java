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

	private final List<Level> levels;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private LogCapture(List<Logger> loggers, Level level) {
		this.loggers = loggers;
		this.levels = loggers.stream().map(Logger::getLevel).toList();
		this.appender.start();
		loggers.forEach((logger) -> {
			if (level != null) {
				logger.setLevel(level);
			}
			logger.addAppender(this.appender);
		});
	}

	static LogCapture of(Class<?>... types) {
		return new LogCapture(loggers(types), null);
	}

	/** Also records DEBUG, for tests that need to see that a fault really hit the code under test. */
	static LogCapture withDebug(Class<?>... types) {
		return new LogCapture(loggers(types), Level.DEBUG);
	}

	private static List<Logger> loggers(Class<?>... types) {
		return List.of(types).stream().map((type) -> (Logger) LoggerFactory.getLogger(type)).toList();
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

	/** Forgets what was recorded so far: what follows is about the next phase of a test. */
	void clear() {
		synchronized (this.appender) {
			this.appender.list.clear();
		}
	}

	/** Whether any event carried a stack trace. */
	boolean anyStackTrace() {
		synchronized (this.appender) {
			return this.appender.list.stream().anyMatch((event) -> event.getThrowableProxy() != null);
		}
	}

	@Override
	public void close() {
		for (int i = 0; i < this.loggers.size(); i++) {
			this.loggers.get(i).detachAppender(this.appender);
			this.loggers.get(i).setLevel(this.levels.get(i));
		}
		this.appender.stop();
	}

}
