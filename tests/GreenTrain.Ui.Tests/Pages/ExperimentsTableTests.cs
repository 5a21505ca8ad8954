using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace GreenTrain.Ui.Tests.Pages;

/// <summary>The experiments table in chromium: live while a run trains, sortable and filterable, usable on a phone.</summary>
[Collection(UiCollection.Name)]
public sealed class ExperimentsTableTests(UiService ui)
{
    [Fact]
    public async Task Table_follows_a_run_while_its_worker_reports_progress()
    {
        var page = await ui.NewPageAsync();
        await page.GotoAsync("/");
        var row = page.Locator($"tr[data-id='{RecordedRuns.Live}']");
        await Expect(row.Locator("[data-key='progress']")).ToContainTextAsync("10%");
        await Expect(row.Locator("[data-key='state']")).ToHaveTextAsync("running");

        // The worker reports more steps, then pauses: the open page shows both without a reload.
        await ui.Runs.WriteLiveAsync(step: 60);
        await Expect(row.Locator("[data-key='progress']")).ToContainTextAsync("60%");
        await Expect(row.Locator("[data-key='progress']")).ToContainTextAsync("(60/100)");
        await ui.Runs.WriteLiveAsync(step: 60, ExperimentRunState.Paused);
        await Expect(row.Locator("[data-key='state']")).ToHaveTextAsync("paused");
        await ui.Runs.WriteLiveAsync(step: 10); // back as the other tests expect it
        await Expect(row.Locator("[data-key='progress']")).ToContainTextAsync("10%");
    }

    [Fact]
    public async Task Table_sorts_by_a_column_from_the_keyboard_and_filters_by_text()
    {
        var page = await ui.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.Locator("#experiments tbody tr")).ToHaveCountAsync(4);
        await Expect(page.Locator($"tr[data-id='{RecordedRuns.Paused}'] [data-key='energyKwh']")).ToContainTextAsync("Wh");

        var energy = page.Locator("th[data-key='energyKwh']");
        await energy.Locator("button").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(energy).ToHaveAttributeAsync("aria-sort", "ascending");
        // Least energy first (4 windows at 21 W, 8 at 46 W, 12 at 36 W and a checkpoint); the live run, with no energy measured, last.
        (await page.Locator("#experiments tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"))
            .Should().Equal(RecordedRuns.Cheap, RecordedRuns.Dominated, RecordedRuns.Paused, RecordedRuns.Live);
        await page.Keyboard.PressAsync("Enter");
        await Expect(energy).ToHaveAttributeAsync("aria-sort", "descending");
        await Expect(page.Locator("#experiments tbody tr").First).ToHaveAttributeAsync("data-id", RecordedRuns.Paused);

        await page.GetByLabel("Filter (id, name, region or state)").FillAsync("digits-");
        await Expect(page.Locator("#experiments tbody tr")).ToHaveCountAsync(2);
        await page.GetByLabel("Filter (id, name, region or state)").FillAsync("");
        await page.GetByLabel("State", new() { Exact = true }).SelectOptionAsync("running");
        await Expect(page.Locator("#experiments tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#experiments tbody tr")).ToHaveAttributeAsync("data-id", RecordedRuns.Live);
    }

    [Fact]
    public async Task On_a_phone_the_page_fits_the_screen_and_the_table_scrolls_inside_it()
    {
        var page = await ui.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync("/");
        await Expect(page.Locator("#experiments tbody tr")).ToHaveCountAsync(4);

        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).Should().BeTrue("nothing but the table's own box scrolls sideways");
        await Expect(page.Locator("th[data-key='deadline']")).ToBeHiddenAsync();
        await Expect(page.Locator("th[data-key='emissionsGrams']")).ToBeAttachedAsync();
        await page.GotoAsync($"/experiment.html?id={RecordedRuns.Paused}");
        await Expect(page.Locator("#timeline-chart rect.band-pause")).ToHaveCountAsync(1);
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth")).Should().BeTrue("the charts shrink to the screen");
    }
}
