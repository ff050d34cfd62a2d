package io.katana.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every runtime module is a named module that requires only the JDK, slf4j and Katana's own API,
 * and exports exactly its API. Read from the compiled module descriptors, as jdeps would.
 */
class ModuleHygieneTest {

    private static final Set<String> ALLOWED_REQUIRES =
            Set.of("java.base", "jdk.jfr", "org.slf4j", "io.katana.reactor", "io.katana.tls", "com.google.auto.service");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "io.katana.reactor,       io.katana.reactor.Reactors,                    io.katana.reactor io.katana.reactor.spi io.katana.reactor.spi.ffm io.katana.reactor.jfr",
        "io.katana.reactor.nio,   io.katana.reactor.nio.NioReactorProvider,      ''",
        "io.katana.reactor.epoll, io.katana.reactor.epoll.EpollReactorProvider,  ''",
        "io.katana.reactor.uring, io.katana.reactor.uring.UringReactorProvider,  ''",
        "io.katana.http,          io.katana.http.HttpServer,                     io.katana.http",
        "io.katana.tls,           io.katana.tls.TlsServer,                       io.katana.tls io.katana.tls.spi",
        "io.katana.tls.openssl,   io.katana.tls.openssl.OpenSslTlsEngineProvider, ''",
    })
    void runtimeModuleRequiresOnlySlf4jAndExportsOnlyItsApi(String module, String anyClass, String exports)
            throws ReflectiveOperationException, URISyntaxException {
        ModuleDescriptor descriptor = descriptorOf(module, Class.forName(anyClass));

        Set<String> requires = descriptor.requires().stream()
                .map(ModuleDescriptor.Requires::name)
                .filter(name -> !name.equals(module))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(requires).as("modules %s requires", module).isSubsetOf(ALLOWED_REQUIRES);
        descriptor.requires().stream()
                .filter(r -> r.name().equals("com.google.auto.service"))
                .forEach(r -> assertThat(r.modifiers()).as("AutoService is compile time only")
                        .contains(ModuleDescriptor.Requires.Modifier.STATIC));

        Set<String> exported = descriptor.exports().stream()
                .filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> expected = exports.isBlank() ? Set.of() : Set.of(exports.trim().split("\\s+"));
        assertThat(exported).as("packages %s exports", module).containsExactlyInAnyOrderElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "io.katana.reactor.nio,   io.katana.reactor.nio.NioReactorProvider",
        "io.katana.reactor.epoll, io.katana.reactor.epoll.EpollReactorProvider",
        "io.katana.reactor.uring, io.katana.reactor.uring.UringReactorProvider",
    })
    void backendsProvideTheReactorProviderService(String module, String provider)
            throws ReflectiveOperationException, URISyntaxException {
        ModuleDescriptor descriptor = descriptorOf(module, Class.forName(provider));

        Map<String, java.util.List<String>> provides = descriptor.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
        assertThat(provides).containsEntry("io.katana.reactor.spi.ReactorProvider", java.util.List.of(provider));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "io.katana.tls,         io.katana.tls.jdk.JdkTlsEngineProvider",
        "io.katana.tls.openssl, io.katana.tls.openssl.OpenSslTlsEngineProvider",
    })
    void tlsEnginesProvideTheTlsEngineProviderService(String module, String provider)
            throws ReflectiveOperationException, URISyntaxException {
        ModuleDescriptor descriptor = descriptorOf(module, Class.forName(provider));

        Map<String, java.util.List<String>> provides = descriptor.provides().stream()
                .collect(Collectors.toMap(ModuleDescriptor.Provides::service, ModuleDescriptor.Provides::providers));
        assertThat(provides).containsEntry("io.katana.tls.spi.TlsEngineProvider", java.util.List.of(provider));
    }

    private static ModuleDescriptor descriptorOf(String module, Class<?> member) throws URISyntaxException {
        Path location = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<ModuleReference> found = ModuleFinder.of(location).findAll();
        assertThat(found).as("a module descriptor at %s", location).hasSize(1);
        ModuleDescriptor descriptor = found.iterator().next().descriptor();
        assertThat(descriptor.name()).isEqualTo(module);
        assertThat(descriptor.isAutomatic()).as("%s has a module-info.java", module).isFalse();
        return descriptor;
    }
}
