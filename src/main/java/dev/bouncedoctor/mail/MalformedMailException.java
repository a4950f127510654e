package dev.bouncedoctor.mail;

/** The bytes cannot be read as a mail at all; the message says what to send instead. */
public class MalformedMailException extends RuntimeException {

    public MalformedMailException(String message) {
        super(message);
    }

    public MalformedMailException(String message, Throwable cause) {
        super(message, cause);
    }
}
