package dev.bouncedoctor.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's Chromium, driven through its ChromeDriver (Debian's chromium and chromium-driver, which .ci/run
 * installs when missing; CHROMIUM and CHROMEDRIVER name others). Nothing is downloaded: Selenium Manager is not
 * asked, since both paths are given. The flags keep Chromium off the network it would otherwise call at start.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("docs", "console");

    final ChromeDriver driver;
    private final String base;
    private final Path profile;

    Browser(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        try {
            this.profile = Files.createTempDirectory("bd-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        String chromedriver = System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--lang=en-US", "--window-size=1280,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    }

    void open(String path) {
        driver.get(base + path);
    }

    String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(base) ? url.substring(base.length()) : url;
    }

    /** Signs in as a key, from a fresh start (no earlier session): the sign-in page, then the page asked for. */
    void signIn(String key, String page) {
        open("/console/sign-out");
        driver.manage().deleteAllCookies();
        open(page);
        driver.findElement(By.id("key")).sendKeys(key);
        follow(driver.findElement(By.cssSelector("form button[type=submit]")));
    }

    /**
     * Clicks something that loads another page and waits until it has: a click returns as soon as the browser has
     * it, so reading the page right after could still read the old one.
     */
    void follow(WebElement link) {
        WebElement old = driver.findElement(By.tagName("html"));
        link.click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> replaced(old)
                && "complete".equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /** Whether the page an element was read from has been replaced. */
    private static boolean replaced(WebElement old) {
        try {
            old.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            // ChromeDriver sometimes answers for a node of a document just replaced with this inspector error instead of
            // "stale element" (a clean-clone CI run met it once): the page is gone all the same.
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** A picture of the page for the README, taken while the story runs so that it shows the console as it is. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Dimension size = driver.manage().window().getSize();
            long height = (Long) driver.executeScript("return Math.min(document.documentElement.scrollHeight, 2400)");
            driver.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.max(height + 120, 600)));
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
            driver.manage().window().setSize(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a check at a phone's size (390 × 844 CSS pixels), then goes back to the laptop's. */
    void onAPhone(Runnable check) {
        Dimension size = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(390, 844));
        try {
            driver.navigate().refresh();
            check.run();
        } finally {
            driver.manage().window().setSize(size);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
