using System.Globalization;
using GreenTrain.Ui.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace GreenTrain.Ui.Tests.Pages;

/// <summary>A finished run's page in chromium: its charts, the pause shaded where its windows say it paused, its files.</summary>
[Collection(UiCollection.Name)]
public sealed class ExperimentPageTests(UiService ui)
{
    [Fact]
    public async Task Finished_run_shows_its_pause_shaded_where_the_record_says_it_paused()
    {
        var page = await ui.NewPageAsync();
        await page.GotoAsync($"/experiment.html?id={RecordedRuns.Paused}");

        var chart = page.Locator("#timeline-chart");
        var pause = chart.Locator("rect.band-pause");
        await Expect(pause).ToHaveCountAsync(1);
        DateTimeOffset.Parse((await pause.GetAttributeAsync("data-start"))!, CultureInfo.InvariantCulture).Should().Be(RecordedRuns.PauseStart);
        DateTimeOffset.Parse((await pause.GetAttributeAsync("data-end"))!, CultureInfo.InvariantCulture).Should().Be(RecordedRuns.PauseEnd);
        var runs = chart.Locator("rect.band-run");
        await Expect(runs).ToHaveCountAsync(2);
        var (before, paused, after) = (await runs.Nth(0).BoundingBoxAsync(), await pause.BoundingBoxAsync(), await runs.Nth(1).BoundingBoxAsync());
        paused!.X.Should().BeApproximately(before!.X + before.Width, 1, "the pause starts where the first run ends on the time axis");
        after!.X.Should().BeApproximately(paused.X + paused.Width, 1, "and the second run starts where the pause ends");
        paused.Width.Should().BeGreaterThan(before.Width, "the run paused for 3 h against 2 h of running first");

        // One time axis: both power kinds and the grid's intensity, and the latest plan's two windows on top.
        await Expect(chart.Locator("path[data-series='cpu power (W)']")).ToHaveCountAsync(1);
        await Expect(chart.Locator("path[data-series='memory power (W)']")).ToHaveCountAsync(1);
        await Expect(chart.Locator("path.intensity")).ToHaveCountAsync(1);
        await Expect(chart.Locator("rect.band-planned")).ToHaveCountAsync(2);
        await Expect(chart.Locator("svg[role='img']")).ToHaveAccessibleNameAsync("Power per device kind and grid intensity");
        await Expect(chart.Locator("svg[role='img']")).ToHaveAccessibleDescriptionAsync(new System.Text.RegularExpressions.Regex("paused 2020-04-20 08:01:00 UTC to 2020-04-20 11:00:00 UTC"));
    }

    [Fact]
    public async Task Finished_run_shows_metric_plans_subtotals_label_and_files()
    {
        var page = await ui.NewPageAsync();
        await page.GotoAsync($"/experiment.html?id={RecordedRuns.Paused}");

        await Expect(page.Locator("h1")).ToHaveTextAsync($"Experiment {RecordedRuns.Paused}");
        var metrics = page.Locator("#metrics-chart");
        await Expect(metrics.Locator("circle.metric")).ToHaveCountAsync(6); // the six evaluations the worker recorded
        await Expect(metrics.Locator("path[data-series='validation loss']")).ToHaveCountAsync(1);
        await metrics.Locator("summary").ClickAsync(); // the data table behind the chart, opened with a click
        await Expect(metrics.Locator("table tbody tr").Last).ToContainTextAsync("0.97");

        await Expect(page.Locator("#plans li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#plans li").Nth(1)).ToContainTextAsync("Replan 1");
        await Expect(page.Locator("#by-phase tbody th")).ToHaveTextAsync(["train", "checkpoint"]);
        await Expect(page.Locator("#by-device tbody th")).ToHaveTextAsync(["cpu", "memory"]);
        await Expect(page.Locator("#methods")).ToContainTextAsync("cpu energy measured by estimate");

        var label = page.Locator("#label img");
        await Expect(label).ToHaveAttributeAsync("alt", new System.Text.RegularExpressions.Regex("Carbon label: .* g CO2eq"));
        (await label.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1")).Should().BeGreaterThan(0, "the label SVG loaded");

        var csv = await page.APIRequest.GetAsync((await page.Locator("#files a", new() { HasText = "emissions.csv" }).GetAttributeAsync("href"))!);
        (await csv.TextAsync()).Should().StartWith("timestamp,project_name,run_id");
        var model = await page.APIRequest.GetAsync((await page.Locator("#files a", new() { HasText = "model file" }).GetAttributeAsync("href"))!);
        (await model.BodyAsync()).Should().Equal(RecordedRuns.Weights, "the model link serves the newest checkpoint's weights");
        foreach (var name in new[] { "report.json", "model card block (YAML)", "carbon label (SVG)" })
        {
            var href = await page.Locator("#files a", new() { HasText = name }).GetAttributeAsync("href");
            (await page.APIRequest.GetAsync(href!)).Status.Should().Be(200, name);
        }
    }

    [Fact]
    public async Task Unknown_experiment_says_so_in_the_status_line()
    {
        var page = await ui.NewPageAsync();
        await page.GotoAsync("/experiment.html?id=never-ran");

        await Expect(page.Locator("#status")).ToContainTextAsync("the store knows no experiment 'never-ran'");
        var bad = await page.APIRequest.GetAsync("/api/experiments/bad*id");
        bad.Status.Should().Be(400);
        (await bad.TextAsync()).Should().Contain("id:");
    }
}
