package io.rapidfire.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A real headless Chromium driven through Debian's chromedriver (both installed with apt-get when missing, as
 * .ci/run does; never downloaded). Screenshots go to server/target/screenshots.
 */
public final class Browser {
    private Browser() {
    }

    public static ChromeDriver open(int width, int height) {
        String chromium = Tools.require("chromium", "chromium");
        String driver = Tools.require("chromedriver", "chromium-driver");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(chromium);
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(driver))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    public static Path screenshot(ChromeDriver d, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path to = dir.resolve(name + ".png");
            Files.copy(((TakesScreenshot) d).getScreenshotAs(OutputType.FILE).toPath(), to,
                    StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
