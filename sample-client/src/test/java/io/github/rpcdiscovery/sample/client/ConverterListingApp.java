package io.github.rpcdiscovery.sample.client;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/** A plain web application that prints its Spring MVC message converters (one {@code converter: } line each) and exits. */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ConverterListingApp {

	public static void main(String[] args) {
		ConfigurableApplicationContext context = SpringApplication.run(ConverterListingApp.class, args);
		context.getBean(RequestMappingHandlerAdapter.class)
			.getMessageConverters()
			.forEach((converter) -> System.out.println("converter: " + converter.getClass().getName() + " "
					+ converter.getSupportedMediaTypes()));
		System.exit(SpringApplication.exit(context));
	}

}
