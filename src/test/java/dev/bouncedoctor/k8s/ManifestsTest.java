package dev.bouncedoctor.k8s;

import dev.bouncedoctor.rules.TempRulesProfile;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.bouncedoctor.engine.RuleSources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders k8s/overlays/dev and k8s/overlays/prod with {@code kubectl kustomize}, reads them strictly
 * into the Kubernetes API types and checks that the pieces fit each other and this application:
 * selectors, ports, probe paths, the rules ConfigMap, Secrets, autoscaling, hardening, shutdown.
 * A @QuarkusTest so that the probe and metrics paths are asked of the running application.
 */
@QuarkusTest
class ManifestsTest {

    private static final Map<String, StrictManifestReader.Result> RENDERED = new HashMap<>();
    /** prod plus the OIDC egress component (see render). */
    private static final String PROD_WITH_OIDC = "prod-with-oidc";
    /** What the service reads from the bounce-doctor-security Secret. */
    private static final List<String> SECURITY_VARIABLES = List.of("SECURITY_BOOTSTRAP_KEY", "OIDC_AUTH_SERVER_URL", "OIDC_CLIENT_ID",
            "OIDC_CREDENTIALS_SECRET");

    // --- the checker itself must be able to fail

    @Test
    void theStrictReaderRejectsMisspelledFieldsAndWrongTypes() {
        StrictManifestReader.Result result = StrictManifestReader.read("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                      - name: x
                        image: x
                        readinesProbe: {httpGet: {path: /q/health/ready, port: 8080}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: x}
                spec:
                  ports: [{port: "eighty"}]
                ---
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: x}
                """);
        assertEquals(3, result.problems().size(), result.problems().toString());
        assertTrue(result.problems().get(0).contains("containers[0]: unknown field(s) [readinesProbe]"), result.problems().get(0));
        assertTrue(result.problems().get(1).startsWith("v1 Service x:"), result.problems().get(1));
        assertTrue(result.problems().get(2).contains("not a kind"), result.problems().get(2));
    }

    // --- both overlays

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyFieldIsKnownToTheKubernetesSchema(String overlay) {
        StrictManifestReader.Result result = render(overlay);
        assertEquals(List.of(), result.problems());
        List<String> kinds = result.objects().stream().map(HasMetadata::getKind).sorted().toList();
        assertTrue(kinds.containsAll(List.of("ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "Service")), kinds.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void selectorsSelectThePods(String overlay) {
        Deployment deployment = one(overlay, Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertSelects(deployment.getSpec().getSelector(), podLabels, "the Deployment's selector");
        Service service = one(overlay, Service.class);
        assertFalse(service.getSpec().getSelector().isEmpty(), "the Service selects something");
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()), "the Service selects the pods");
        assertSelects(one(overlay, PodDisruptionBudget.class).getSpec().getSelector(), podLabels, "the PodDisruptionBudget");
        all(overlay, NetworkPolicy.class).forEach(policy ->
                assertSelects(policy.getSpec().getPodSelector(), podLabels, "NetworkPolicy " + policy.getMetadata().getName()));
        Objects.requireNonNullElse(pod(overlay).getTopologySpreadConstraints(), List.<io.fabric8.kubernetes.api.model.TopologySpreadConstraint>of())
                .forEach(spread -> assertSelects(spread.getLabelSelector(), podLabels, "a topology spread constraint"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesServiceAndPolicyUseTheAppsHttpPort(String overlay) {
        Container container = container(overlay);
        int appPort = Integer.parseInt(env(container, "QUARKUS_HTTP_PORT").map(EnvVar::getValue).orElse("8080"));
        ContainerPort http = container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
        assertEquals(appPort, http.getContainerPort(), "the container port named http is the port Quarkus listens on");
        assertEquals(List.of(http), container.getPorts(), "no other port is exposed");

        assertProbe(container.getStartupProbe(), "/q/health/started", container, appPort);
        assertProbe(container.getReadinessProbe(), "/q/health/ready", container, appPort);
        assertProbe(container.getLivenessProbe(), "/q/health/live", container, appPort);

        Service service = one(overlay, Service.class);
        service.getSpec().getPorts().forEach(p -> assertEquals(appPort, resolve(p.getTargetPort(), container), "Service port " + p.getName()));

        List<NetworkPolicyIngressRule> ingress = all(overlay, NetworkPolicy.class).stream()
                .flatMap(policy -> Objects.requireNonNullElse(policy.getSpec().getIngress(), List.<NetworkPolicyIngressRule>of()).stream()).toList();
        assertFalse(ingress.isEmpty(), "something may reach the pods");
        ingress.forEach(rule -> {
            List<NetworkPolicyPort> ports = rule.getPorts();
            assertNotNull(ports, "an ingress rule without ports would open every port");
            assertFalse(ports.isEmpty(), "an ingress rule without ports would open every port");
            ports.forEach(p -> {
                assertEquals("TCP", p.getProtocol());
                assertEquals(appPort, resolve(p.getPort(), container), "ingress is open on the HTTP port only");
                assertNull(p.getEndPort());
            });
        });

        Map<String, String> annotations = deployment(overlay).getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals(String.valueOf(appPort), annotations.get("prometheus.io/port"));
        given().get(annotations.get("prometheus.io/path")).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRulesConfigMapHoldsEveryRuleFileAtItsPath(String overlay) throws IOException {
        Container container = container(overlay);
        String rulesDir = env(container, "RULES_DIR").map(EnvVar::getValue).orElseThrow(() -> new AssertionError("RULES_DIR is set"));
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(rulesDir)).findFirst()
                .orElseThrow(() -> new AssertionError("a volume is mounted at RULES_DIR " + rulesDir));
        assertEquals(Boolean.TRUE, mount.getReadOnly(), "the rules are mounted read-only");
        assertNull(mount.getSubPath(), "a subPath mount would never see ConfigMap updates");
        Volume volume = volume(overlay, mount.getName());
        assertNotNull(volume.getConfigMap(), "RULES_DIR is a ConfigMap volume");
        ConfigMap configMap = named(overlay, ConfigMap.class, volume.getConfigMap().getName());
        assertNotEquals(Boolean.TRUE, volume.getConfigMap().getOptional());

        // Lay the ConfigMap out as the kubelet would and read it as the service does.
        Map<String, String> files = new TreeMap<>();
        for (KeyToPath item : volume.getConfigMap().getItems()) {
            assertTrue(configMap.getData().containsKey(item.getKey()), "item " + item.getKey() + " is a key of the ConfigMap");
            files.put(item.getPath(), configMap.getData().get(item.getKey()));
        }
        assertEquals(configMap.getData().size(), volume.getConfigMap().getItems().size(), "every key of the ConfigMap is mounted");
        RuleSources repository = RuleSources.read(Path.of("rules"));
        RuleSources mounted = RuleSources.read(KubeletConfigMapDir.create(Files.createTempDirectory("rendered-rules").resolve("rules"), files).root());
        assertEquals(repository.files().keySet(), mounted.files().keySet(),
                "the ConfigMap holds exactly the files under rules/; after adding or removing one, run k8s/sync-rules.sh");
        assertEquals(repository.version(), mounted.version(), "pods serve the version of the repository's rules/; run k8s/sync-rules.sh");
    }

    /** prod shows Kafka configured, by the names the service reads; dev leaves it off. */
    @Test
    void prodConsumesEventsFromKafkaAndDevDoesNot() throws IOException {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        Container container = container("prod");
        for (String name : List.of("KAFKA_BOOTSTRAP_SERVERS", "KAFKA_GROUP_ID", "KAFKA_EVENTS_TOPIC", "KAFKA_DLQ_TOPIC", "KAFKA_DIAGNOSES_TOPIC")) {
            String value = env(container, name).orElseThrow(() -> new AssertionError(name + " is set in prod")).getValue();
            assertFalse(value == null || value.isBlank(), name + " has a value");
            assertTrue(properties.contains("${" + name + ":") || properties.contains("${" + name + "}"), name + " is read by the service");
        }
        assertTrue(env(container("dev"), "KAFKA_BOOTSTRAP_SERVERS").isEmpty(), "dev runs without Kafka");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyRequiredSecretAndConfigMapIsDefined(String overlay) {
        PodSpec pod = pod(overlay);
        for (Container container : pod.getContainers()) {
            for (EnvVar var : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
                if (var.getValueFrom() != null && var.getValueFrom().getSecretKeyRef() != null) {
                    SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
                    Secret secret = find(overlay, Secret.class, ref.getName());
                    if (secret == null) {
                        assertEquals(Boolean.TRUE, ref.getOptional(), var.getName() + " needs Secret " + ref.getName() + ", which is not defined");
                    } else if (!Boolean.TRUE.equals(ref.getOptional())) {
                        assertTrue(keys(secret).contains(ref.getKey()), "Secret " + ref.getName() + " has key " + ref.getKey() + " for " + var.getName());
                    }
                }
                if (var.getValueFrom() != null && var.getValueFrom().getConfigMapKeyRef() != null) {
                    fail(var.getName() + ": configuration comes from plain env values and the rules ConfigMap only");
                }
            }
        }
        for (Volume volume : pod.getVolumes()) {
            if (volume.getConfigMap() != null) {
                named(overlay, ConfigMap.class, volume.getConfigMap().getName());
            }
            if (volume.getSecret() != null) {
                named(overlay, Secret.class, volume.getSecret().getSecretName());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void thePodIsHardened(String overlay) {
        PodSpec pod = pod(overlay);
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertNotEquals(0L, pod.getSecurityContext().getRunAsUser());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "the service never talks to the Kubernetes API");
        Container container = container(overlay);
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertTrue(container.getSecurityContext().getCapabilities().getAdd() == null || container.getSecurityContext().getCapabilities().getAdd().isEmpty(), "no capability added");
        VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow(() -> new AssertionError("/tmp is writable"));
        assertNotNull(volume(overlay, tmp.getName()).getEmptyDir(), "/tmp is an emptyDir");

        var resources = container.getResources();
        for (String r : List.of("cpu", "memory")) {
            assertNotNull(resources.getRequests().get(r), "a " + r + " request");
        }
        assertNotNull(resources.getLimits().get("memory"), "a memory limit");
        assertTrue(bytes(resources.getLimits().get("memory").toString()) >= bytes(resources.getRequests().get("memory").toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theGracePeriodCoversTheShutdownDrain(String overlay) throws IOException {
        Properties app = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            app.load(in);
        }
        Duration delay = Duration.parse("PT" + app.getProperty("quarkus.shutdown.delay", "0s").toUpperCase());
        Duration timeout = Duration.parse("PT" + app.getProperty("quarkus.shutdown.timeout").toUpperCase());
        long grace = pod(overlay).getTerminationGracePeriodSeconds();
        assertTrue(grace >= delay.plus(timeout).plusSeconds(5).toSeconds(),
                "terminationGracePeriodSeconds " + grace + " leaves the JVM time after the " + delay + " delay and " + timeout + " drain");
    }

    // --- each overlay

    @Test
    void devRunsOnePodOnTheEmbeddedDatabase() {
        Deployment deployment = one("dev", Deployment.class);
        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType(), "two pods never open the same embedded database");
        assertTrue(all("dev", HorizontalPodAutoscaler.class).isEmpty(), "nothing scales the single embedded database");
        assertEquals("h2", env(container("dev"), "DB_KIND").orElseThrow().getValue());
        VolumeMount data = container("dev").getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/deployments/data")).findFirst()
                .orElseThrow(() -> new AssertionError("the embedded database's data/ is writable"));
        assertNotNull(volume("dev", data.getName()).getEmptyDir());
    }

    @Test
    void prodRunsThreeOrMorePodsOnPostgresql() {
        Deployment deployment = one("prod", Deployment.class);
        assertNull(deployment.getSpec().getReplicas(), "the autoscaler owns the replica count; applying a rule edit must not reset it");
        HorizontalPodAutoscaler hpa = one("prod", HorizontalPodAutoscaler.class);
        assertEquals("autoscaling/v2", hpa.getApiVersion());
        assertEquals("apps/v1", hpa.getSpec().getScaleTargetRef().getApiVersion());
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        assertEquals(deployment.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(3, hpa.getSpec().getMinReplicas());
        assertTrue(hpa.getSpec().getMaxReplicas() >= hpa.getSpec().getMinReplicas());
        assertNotNull(container("prod").getResources().getRequests().get("cpu"), "CPU utilisation needs a CPU request");

        Container container = container("prod");
        assertEquals("postgresql", env(container, "DB_KIND").orElseThrow().getValue());
        for (String name : List.of("DB_URL", "DB_USERNAME", "DB_PASSWORD")) {
            SecretKeySelector ref = env(container, name).orElseThrow().getValueFrom().getSecretKeyRef();
            assertNotNull(ref, name + " comes from a Secret");
            assertNotEquals(Boolean.TRUE, ref.getOptional(), name + " is required");
            assertNotNull(find("prod", Secret.class, ref.getName()), "Secret " + ref.getName() + " is defined");
        }
        assertTrue(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints() != null, "replicas spread over nodes");
    }

    // --- security: the Secret and the network policies

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theSecurityConfigurationComesFromAnOptionalSecret(String overlay) {
        Container container = container(overlay);
        for (String name : SECURITY_VARIABLES) {
            EnvVar var = env(container, name).orElseThrow(() -> new AssertionError(name + " is passed to the service"));
            assertNull(var.getValue(), name + " never has a value written in a manifest");
            SecretKeySelector ref = var.getValueFrom().getSecretKeyRef();
            assertNotNull(ref, name + " comes from a Secret");
            assertEquals(name, ref.getKey());
            assertTrue(ref.getName().startsWith("bounce-doctor-security"), name + " comes from the bounce-doctor-security Secret");
            // The first key may be printed by the first start instead, and OIDC is optional: a pod starts without them.
            assertEquals(Boolean.TRUE, ref.getOptional(), name + " is optional");
        }
        // Nothing that looks like a credential is written into a manifest as a plain value.
        for (EnvVar var : container.getEnv()) {
            if (var.getName().matches(".*(KEY|SECRET|PASSWORD|TOKEN).*")) {
                assertNull(var.getValue(), var.getName() + " comes from a Secret, not a plain value");
            }
        }
        if (overlay.equals("prod")) {
            Secret secret = find("prod", Secret.class, env(container, SECURITY_VARIABLES.get(0)).orElseThrow().getValueFrom().getSecretKeyRef().getName());
            assertNotNull(secret, "prod generates the bounce-doctor-security Secret (from security.env)");
        } else {
            assertTrue(all(overlay, Secret.class).isEmpty(), "dev generates no Secret; one can be created by hand");
        }
    }

    @Test
    void theSecretsComeFromGitIgnoredFilesWhoseExamplesSetNothing() throws IOException {
        List<String> ignored = Files.readAllLines(Path.of(".gitignore"));
        for (String name : List.of("database.env", "security.env")) {
            assertTrue(ignored.contains("k8s/overlays/prod/" + name), name + " is git-ignored");
            assertTrue(Files.exists(Path.of("k8s/overlays/prod", name + ".example")), name + " has an example to copy");
        }
        List<String> example = Files.readAllLines(Path.of("k8s/overlays/prod/security.env.example"));
        for (String name : SECURITY_VARIABLES) {
            assertTrue(example.stream().anyMatch(l -> l.startsWith("#" + name + "=")), name + " is described, commented out, in security.env.example");
        }
        assertTrue(example.stream().allMatch(l -> l.isBlank() || l.startsWith("#")),
                "security.env.example sets nothing, so that no example value becomes a real key: " + example);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", PROD_WITH_OIDC})
    void thePoliciesCloseBothDirectionsAndEachListsWhatItGoverns(String overlay) {
        List<NetworkPolicy> policies = all(overlay, NetworkPolicy.class);
        NetworkPolicy main = named(overlay, NetworkPolicy.class, "bounce-doctor");
        assertEquals(List.of("Ingress", "Egress"), main.getSpec().getPolicyTypes(), "the pods are isolated for ingress and egress");
        assertFalse(main.getSpec().getIngress().isEmpty() || main.getSpec().getEgress().isEmpty(), "bounce-doctor has rules both ways");
        for (NetworkPolicy policy : policies) {
            if (policy == main) {
                continue;
            }
            boolean ingress = !Objects.requireNonNullElse(policy.getSpec().getIngress(), List.of()).isEmpty();
            boolean egress = !Objects.requireNonNullElse(policy.getSpec().getEgress(), List.of()).isEmpty();
            List<String> governed = Stream.of(ingress ? "Ingress" : null, egress ? "Egress" : null).filter(Objects::nonNull).toList();
            // Kubernetes ignores the rules of a direction a policy does not list: a silent hole in what was meant.
            assertEquals(governed, policy.getSpec().getPolicyTypes(), policy.getMetadata().getName() + " lists exactly the directions it has rules for");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void ingressComesOnlyFromTheNamedCallers(String overlay) {
        List<String> peers = new java.util.ArrayList<>();
        for (NetworkPolicy policy : all(overlay, NetworkPolicy.class)) {
            for (NetworkPolicyIngressRule rule : Objects.requireNonNullElse(policy.getSpec().getIngress(), List.<NetworkPolicyIngressRule>of())) {
                assertNotNull(rule.getFrom(), policy.getMetadata().getName() + ": a rule without 'from' admits every pod and address");
                assertFalse(rule.getFrom().isEmpty(), policy.getMetadata().getName() + ": a rule without 'from' admits every pod and address");
                rule.getFrom().forEach(peer -> peers.add(describe(peer)));
            }
        }
        assertEquals(List.of(
                        "pods{bounce-doctor/client=true}",
                        "namespaces{kubernetes.io/metadata.name=ingress-nginx}",
                        "namespaces{kubernetes.io/metadata.name=monitoring} pods{app.kubernetes.io/name=prometheus}"),
                peers, "clients labelled in this namespace, the ingress controller and Prometheus, nothing else");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", PROD_WITH_OIDC})
    void egressIsDnsAndTheDatabaseOnly(String overlay) {
        List<String> egress = new java.util.ArrayList<>();
        for (NetworkPolicy policy : all(overlay, NetworkPolicy.class)) {
            for (NetworkPolicyEgressRule rule : Objects.requireNonNullElse(policy.getSpec().getEgress(), List.<NetworkPolicyEgressRule>of())) {
                assertNotNull(rule.getTo(), policy.getMetadata().getName() + ": an egress rule without 'to' reaches everything");
                assertFalse(rule.getTo().isEmpty(), policy.getMetadata().getName() + ": an egress rule without 'to' reaches everything");
                assertNotNull(rule.getPorts(), policy.getMetadata().getName() + ": an egress rule without ports opens every port");
                egress.add(rule.getTo().stream().map(ManifestsTest::describe).sorted().toList() + " "
                        + rule.getPorts().stream().map(p -> p.getProtocol() + "/" + p.getPort().getIntVal() + (p.getEndPort() == null ? "" : "-" + p.getEndPort())).sorted().toList());
            }
        }
        String dns = "[namespaces{kubernetes.io/metadata.name=kube-system} pods{k8s-app=kube-dns}] [TCP/53, UDP/53]";
        String database = "[addresses 192.0.2.0/24] [TCP/5432]";
        String issuer = "[addresses 198.51.100.0/24] [TCP/443]";
        String kafka = "[addresses 203.0.113.0/24] [TCP/9092]";
        List<String> expected = switch (overlay) {
            case "dev" -> List.of(dns); // the embedded database needs no connection
            case "prod" -> List.of(dns, database, kafka);
            default -> List.of(dns, database, kafka, issuer);
        };
        assertEquals(expected.stream().sorted().toList(), egress.stream().sorted().toList(), overlay + ": DNS, the database where it is a server, the Kafka brokers where configured, the OIDC issuer when added");
        assertEquals(!overlay.equals("dev"), env(container(overlay), "KAFKA_BOOTSTRAP_SERVERS").isPresent(), "the brokers' port is open exactly where Kafka is configured");
        assertEquals(overlay.equals("dev") ? "h2" : "postgresql", env(container(overlay), "DB_KIND").orElseThrow().getValue(),
                "the database port is open exactly where the database is a server");
    }

    /** A peer as text: which namespaces, which pods, which addresses; "all" for an empty selector. */
    private static String describe(NetworkPolicyPeer peer) {
        List<String> parts = new java.util.ArrayList<>();
        if (peer.getNamespaceSelector() != null) {
            parts.add("namespaces" + labels(peer.getNamespaceSelector()));
        }
        if (peer.getPodSelector() != null) {
            parts.add("pods" + labels(peer.getPodSelector()));
        }
        if (peer.getIpBlock() != null) {
            parts.add("addresses " + peer.getIpBlock().getCidr() + (peer.getIpBlock().getExcept() == null || peer.getIpBlock().getExcept().isEmpty()
                    ? "" : " except " + peer.getIpBlock().getExcept()));
        }
        return String.join(" ", parts);
    }

    private static String labels(LabelSelector selector) {
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(), "policies select by labels only");
        Map<String, String> labels = Objects.requireNonNullElse(selector.getMatchLabels(), Map.of());
        return labels.isEmpty() ? "{all}" : new TreeMap<>(labels).toString();
    }

    // --- helpers

    private static void assertProbe(Probe probe, String path, Container container, int appPort) {
        assertNotNull(probe, path + " is probed");
        HTTPGetAction get = probe.getHttpGet();
        assertNotNull(get, path + " is an HTTP probe");
        assertEquals(path, get.getPath());
        assertEquals(appPort, resolve(get.getPort(), container), path + " on the HTTP port");
        // The application answers it (rules loaded, so all three are up).
        given().get(path).then().statusCode(200);
    }

    private static int resolve(IntOrString port, Container container) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port is named " + port.getStrVal())).getContainerPort();
    }

    private static void assertSelects(LabelSelector selector, Map<String, String> labels, String what) {
        assertNotNull(selector, what + " has a selector");
        assertTrue(selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty(), what + ": match labels only");
        assertFalse(selector.getMatchLabels().isEmpty(), what + " selects something");
        assertTrue(labels.entrySet().containsAll(selector.getMatchLabels().entrySet()), what + " selects the pods " + labels);
    }

    private static void assertNotEquals(Object unexpected, Object actual) {
        org.junit.jupiter.api.Assertions.assertNotEquals(unexpected, actual);
    }

    private static void assertNotEquals(Object unexpected, Object actual, String message) {
        org.junit.jupiter.api.Assertions.assertNotEquals(unexpected, actual, message);
    }

    private static long bytes(String quantity) {
        return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(quantity)).longValue();
    }

    private static java.util.Set<String> keys(Secret secret) {
        java.util.Set<String> keys = new java.util.HashSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return keys;
    }

    private static java.util.Optional<EnvVar> env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
    }

    private static Deployment deployment(String overlay) {
        return one(overlay, Deployment.class);
    }

    private static PodSpec pod(String overlay) {
        return deployment(overlay).getSpec().getTemplate().getSpec();
    }

    private static Container container(String overlay) {
        List<Container> containers = pod(overlay).getContainers();
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static Volume volume(String overlay, String name) {
        return pod(overlay).getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("volume " + name + " is defined"));
    }

    private static <T extends HasMetadata> List<T> all(String overlay, Class<T> type) {
        return render(overlay).objects().stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T one(String overlay, Class<T> type) {
        List<T> found = all(overlay, type);
        assertEquals(1, found.size(), overlay + " has one " + type.getSimpleName());
        return found.get(0);
    }

    private static <T extends HasMetadata> T find(String overlay, Class<T> type, String name) {
        return all(overlay, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst().orElse(null);
    }

    private static <T extends HasMetadata> T named(String overlay, Class<T> type, String name) {
        T found = find(overlay, type, name);
        assertNotNull(found, type.getSimpleName() + " " + name + " is defined in " + overlay);
        return found;
    }

    /**
     * Renders an overlay once. prod is rendered from a copy, with its git-ignored database.env and security.env made from
     * the examples; {@value #PROD_WITH_OIDC} is an overlay of that copy that adds the component k8s/components/oidc-egress,
     * as the README tells an operator to.
     */
    private static synchronized StrictManifestReader.Result render(String overlay) {
        Assumptions.assumeTrue(kubectl(), "kubectl is not on the PATH: the Kubernetes manifests were not rendered nor checked");
        return RENDERED.computeIfAbsent(overlay, o -> {
            try {
                Path root = Path.of("");
                if (!o.equals("dev")) {
                    root = Files.createTempDirectory("bounce-doctor-k8s");
                    TempRulesProfile.copyTree(Path.of("k8s"), root.resolve("k8s"));
                    TempRulesProfile.copyTree(Path.of("rules"), root.resolve("rules"));
                    for (String name : List.of("database.env", "security.env")) {
                        Path env = root.resolve("k8s/overlays/prod").resolve(name);
                        Files.deleteIfExists(env);
                        Files.copy(root.resolve("k8s/overlays/prod").resolve(name + ".example"), env);
                    }
                    if (o.equals(PROD_WITH_OIDC)) {
                        Path with = Files.createDirectories(root.resolve("k8s/overlays").resolve(PROD_WITH_OIDC));
                        Files.writeString(with.resolve("kustomization.yaml"), """
                                apiVersion: kustomize.config.k8s.io/v1beta1
                                kind: Kustomization
                                resources:
                                - ../prod
                                components:
                                - ../../components/oidc-egress
                                """);
                    }
                }
                Path dir = root.resolve("k8s/overlays").resolve(o).toAbsolutePath();
                Process process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "kubectl kustomize " + dir + " failed: " + err);
                return StrictManifestReader.read(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        });
    }

    private static boolean kubectl() {
        try {
            Process p = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
