package io.katana.conformance;

import io.katana.reactor.Reactors;
import io.katana.reactor.spi.ReactorProvider;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives {@link ConfiguredConformanceSuite} the {@link BackendPair} named by its configuration
 * parameters, looked up among the providers {@link Reactors#all()} finds, and disables the suite
 * when no backend is named.
 *
 * <p>Threading: stateless; JUnit may call it from any thread.
 */
public final class ConfiguredBackends implements ExecutionCondition, ParameterResolver {

    /** Made by JUnit, from {@code @ExtendWith}. */
    public ConfiguredBackends() {}

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(ConfiguredConformanceSuite.SERVER).isPresent()
                ? ConditionEvaluationResult.enabled("backend named by " + ConfiguredConformanceSuite.SERVER)
                : ConditionEvaluationResult.disabled("set the configuration parameter or system property "
                        + ConfiguredConformanceSuite.SERVER + " to a backend name to run this suite");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == BackendPair.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        String serverName = context.getConfigurationParameter(ConfiguredConformanceSuite.SERVER)
                .orElseThrow(() -> new ParameterResolutionException(ConfiguredConformanceSuite.SERVER + " is not set"));
        String clientName = context.getConfigurationParameter(ConfiguredConformanceSuite.CLIENT).orElse(serverName);
        List<ReactorProvider> providers = Reactors.all();
        return new BackendPair(find(providers, serverName), find(providers, clientName));
    }

    private static ReactorProvider find(List<ReactorProvider> providers, String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        Optional<ReactorProvider> found = providers.stream().filter(p -> p.name().equals(wanted)).findFirst();
        return found.orElseThrow(() -> new ParameterResolutionException("no reactor backend named '" + wanted
                + "' on the class or module path; found: "
                + (providers.isEmpty() ? "none" : providers.stream().map(ReactorProvider::name)
                        .collect(Collectors.joining(", ")))));
    }
}
