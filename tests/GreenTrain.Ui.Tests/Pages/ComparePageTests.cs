using GreenTrain.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace GreenTrain.Ui.Tests.Pages;

/// <summary>The compare page: each measured experiment is a point that links to its run; the frontier marks the runs no other beats.</summary>
[Collection(UiCollection.Name)]
public sealed class ComparePageTests(UiService ui)
{
    [Fact]
    public async Task Frontier_shows_each_experiments_point_and_each_point_opens_its_run()
    {
        var page = await ui.NewPageAsync();
        await page.GotoAsync("/compare.html");

        foreach (var chart in new[] { "#energy-frontier", "#emissions-frontier" })
        {
            var points = page.Locator($"{chart} circle[data-id]");
            await Expect(points).ToHaveCountAsync(3);
            // demo-digits is the most accurate (0.97), digits-small the cheapest (4 windows at 15 W): both on the frontier;
            // digits-wide (0.90 for 8 windows at 40 W) is beaten by digits-small on both.
            await Expect(page.Locator($"{chart} circle.on-frontier[data-id='{RecordedRuns.Paused}']")).ToHaveCountAsync(1);
            await Expect(page.Locator($"{chart} circle.on-frontier[data-id='{RecordedRuns.Cheap}']")).ToHaveCountAsync(1);
            await Expect(page.Locator($"{chart} circle[data-id='{RecordedRuns.Dominated}']")).Not.ToHaveClassAsync("point on-frontier");
        }

        // Keyboard: the point is a link with a name; Enter opens the run's page.
        var link = page.Locator($"#energy-frontier a.point-link:has(circle[data-id='{RecordedRuns.Cheap}'])");
        await Expect(link).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex($"^{RecordedRuns.Cheap}: accuracy 0.93, energy .*on the frontier$"));
        await link.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/experiment\\.html\\?id={RecordedRuns.Cheap}$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Experiment {RecordedRuns.Cheap}");
    }
}
