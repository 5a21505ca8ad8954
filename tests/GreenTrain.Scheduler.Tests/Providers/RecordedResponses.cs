using System.Globalization;
using System.Text.Json;

namespace GreenTrain.Scheduler.Tests.Providers;

/// <summary>
/// Each provider's response shape, filled with real recorded values: the UK API day (2023-05-04) and the
/// WattTime MOER forecast (2024-05-28) from the test data, the German 2020 trace for Electricity Maps.
/// </summary>
internal static class RecordedResponses
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>(time, gCO2/kWh) of the recorded UK Carbon Intensity API day.</summary>
    public static List<(DateTimeOffset Time, double Value)> UkDay() =>
        File.ReadLines(TestData.File("uk_ci_api_24h_sample.csv")).Skip(1).Select(line => line.Split(','))
            .Select(f => (DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture))).ToList();

    /// <summary>(time, lbs/MWh) of the recorded WattTime forecast.</summary>
    public static List<(DateTimeOffset Time, double Value)> WattTime() =>
        File.ReadLines(TestData.File("watttime_moer_forecast_sample.csv")).Skip(1).Select(line => line.Split(','))
            .Select(f => (DateTimeOffset.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture))).ToList();

    public static string UkNational(IEnumerable<(DateTimeOffset Time, double? Value)> points) => JsonSerializer.Serialize(new
    {
        data = points.Select(p => new
        {
            from = p.Time.ToString("yyyy-MM-ddTHH:mmZ"),
            to = p.Time.AddMinutes(30).ToString("yyyy-MM-ddTHH:mmZ"),
            intensity = new { forecast = p.Value, actual = (double?)null, index = "low" },
        }),
    }, Json);

    public static string UkRegional(int id, IEnumerable<(DateTimeOffset Time, double Value)> points) => JsonSerializer.Serialize(new
    {
        data = new[]
        {
            new
            {
                regionid = id, dnoregion = "UKPN London", shortname = "London",
                data = points.Select(p => new
                {
                    from = p.Time.ToString("yyyy-MM-ddTHH:mmZ"),
                    to = p.Time.AddMinutes(30).ToString("yyyy-MM-ddTHH:mmZ"),
                    intensity = new { forecast = p.Value, index = "low" },
                    generationmix = new[] { new { fuel = "wind", perc = 40.1 }, new { fuel = "gas", perc = 20.3 } },
                }),
            },
        },
    }, Json);

    public static string ElectricityMaps(string zone, IEnumerable<(DateTimeOffset Time, double Value)> points) => JsonSerializer.Serialize(new
    {
        zone,
        forecast = points.Select(p => new { carbonIntensity = p.Value, datetime = p.Time.ToString("yyyy-MM-ddTHH:mm:ss.fffZ") }),
        updatedAt = "2020-03-02T00:00:00.000Z",
    }, Json);

    public static string WattTimeForecast(string region, IEnumerable<(DateTimeOffset Time, double Value)> points) => JsonSerializer.Serialize(new
    {
        data = points.Select(p => new { point_time = p.Time.ToString("yyyy-MM-ddTHH:mm:sszzz"), value = p.Value }),
        meta = new
        {
            data_point_period_seconds = 300, region, signal_type = "co2_moer", units = "lbs_co2_per_mwh",
            generated_at = "2024-05-28T14:20:00+00:00", model = new { date = "2023-03-01" },
        },
    }, Json);

    public static string CarbonAwareForecast(string location, IEnumerable<(DateTimeOffset Time, double Value)> points) => JsonSerializer.Serialize(new[]
    {
        new
        {
            generatedAt = "2024-05-28T14:20:00+00:00", requestedAt = "2024-05-28T14:20:00+00:00", location,
            dataStartAt = "2024-05-28T14:20:00+00:00", dataEndAt = "2024-05-29T14:15:00+00:00", windowSize = 5,
            optimalDataPoints = new[] { new { location, timestamp = "2024-05-28T16:00:00+00:00", duration = 5, value = 100.0 } },
            forecastData = points.Select(p => new { location, timestamp = p.Time.ToString("yyyy-MM-ddTHH:mm:sszzz"), duration = 5, value = p.Value }),
        },
    }, Json);

    public static string CarbonAwareEmissions(string location, IEnumerable<(DateTimeOffset Time, double Value)> points) => JsonSerializer.Serialize(
        points.Select(p => new { location, time = p.Time.ToString("yyyy-MM-ddTHH:mm:sszzz"), rating = p.Value, duration = "00:05:00" }), Json);
}
