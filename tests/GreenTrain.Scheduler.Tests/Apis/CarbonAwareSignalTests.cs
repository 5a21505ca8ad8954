using System.Net;
using GreenTrain.Scheduler.Apis.CarbonAware;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Scheduler.Tests.Providers;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Apis;

/// <summary>The SDK's docs call every value marginal; GreenTrain's extension header says which it really is.</summary>
public class CarbonAwareSignalTests
{
    [Fact]
    public async Task A_watttime_forecast_is_labelled_marginal_and_converted_to_grams_per_kwh()
    {
        var points = RecordedResponses.WattTime();
        await using var store = await StoreServers.StartAsync("redis");
        await using var watttime = new RecordedHttpServer(r => r.Url!.AbsolutePath == "/login"
            ? RecordedResponse.Json("""{"token":"recorded"}""")
            : RecordedResponse.Json(RecordedResponses.WattTimeForecast("CAISO_NORTH", points)));
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(points[0].Time), extra: new Dictionary<string, string?>
        {
            ["Carbon:Provider"] = "watttime", ["Carbon:WattTimeBaseUrl"] = watttime.BaseUrl.ToString(),
            ["Carbon:WattTimeUsername"] = "recorded", ["Carbon:WattTimePassword"] = "recorded", ["Carbon:Regions:0"] = "CAISO_NORTH",
        });
        await host.Get<ForecastService>().RefreshAsync("CAISO_NORTH", CancellationToken.None);

        var response = await host.Client.GetAsync("/emissions/forecasts/current?location=CAISO_NORTH&windowSize=5");
        var forecast = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement[0];

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues(SignalHeader.Name).Should().Equal("marginal");
        forecast.GetProperty("forecastData")[0].GetProperty("value").GetDouble().Should().BeApproximately(points[0].Value * 0.45359237, 1e-9);
    }
}
