package dev.bouncedoctor.maillog;

import io.quarkus.test.junit.QuarkusTest;

/** The mail log on the default embedded H2 database. */
@QuarkusTest
class MailLogH2Test extends MailLogContract {
}
