using GreenTrain.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace GreenTrain.Ui.Tests.Pages;

/// <summary>The regions page: the Scheduler's cached forecast with its origin, the actual trace, and the forecast's error.</summary>
[Collection(UiCollection.Name)]
public sealed class RegionsPageTests(UiService ui)
{
    [Fact]
    public async Task Region_shows_its_forecast_origin_actuals_and_error()
    {
        var page = await ui.NewPageAsync();
        await page.GotoAsync("/regions.html");

        var de = page.Locator("section[data-region='DE']");
        await Expect(de.Locator("h2")).ToHaveTextAsync("DE");
        await Expect(de).ToContainTextAsync("Forecast from trace-replay (average intensity), fetched 20/04/2020, 06:00:00 UTC");
        // The cache holds the trace's values 5% high: the page reports a 5% error against the trace.
        await Expect(de).ToContainTextAsync("(5%)");
        await Expect(de.Locator("path.intensity")).ToHaveCountAsync(1);
        await Expect(de.Locator("path.actual")).ToHaveCountAsync(1);
    }
}
