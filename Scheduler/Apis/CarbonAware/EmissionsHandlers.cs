using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Apis.CarbonAware;

/// <summary>
/// The SDK's observed-emissions routes. "Observed" is what GreenTrain's provider reported for intervals that have begun
/// (its history as it arrived, then the begun part of the last fetched forecast); a fallback's guesses never count.
/// </summary>
public static class EmissionsHandlers
{
    public static Task<IResult> ByLocationAsync(HttpContext http, CarbonAwareData data, CarbonOptions options, CancellationToken cancellationToken) =>
        EmissionsAsync(http, data, options, best: false, cancellationToken);

    public static Task<IResult> ByLocationsAsync(HttpContext http, CarbonAwareData data, CarbonOptions options, CancellationToken cancellationToken) =>
        EmissionsAsync(http, data, options, best: false, cancellationToken);

    public static Task<IResult> BestAsync(HttpContext http, CarbonAwareData data, CarbonOptions options, CancellationToken cancellationToken) =>
        EmissionsAsync(http, data, options, best: true, cancellationToken);

    /// <summary>
    /// Without time and toTime, everything observed up to now (the SDK's "available data until the current time");
    /// time alone runs to time + durationMinutes, or to now; a moment (time = toTime) is the interval in force then.
    /// </summary>
    private static async Task<IResult> EmissionsAsync(HttpContext http, CarbonAwareData data, CarbonOptions options, bool best, CancellationToken cancellationToken)
    {
        var query = new CarbonAwareQuery(http.Request.Query, options);
        var locations = query.Locations();
        var from = query.Time("time");
        var to = query.Time("toTime");
        var minutes = query.Minutes("durationMinutes");
        if (from is { } f0 && to is { } t0 && t0 < f0)
        {
            query.Fail("toTime", $"toTime ({t0:O}) must not be before time ({f0:O}).");
        }
        if (!query.Valid)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }
        var end = to ?? (from is { } f && minutes is > 0 ? f.AddMinutes(minutes.Value) : data.Now);
        var found = new List<IntensityInterval>();
        foreach (var location in locations.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var observed = await data.ObservedAsync(location, cancellationToken);
            found.AddRange(observed.Intervals.Where(i => (from is not { } start || i.End > start) && (i.Start < end || i.Start == end && from == end)));
        }
        if (best && found.Count > 0)
        {
            var lowest = found.Min(i => i.GramsPerKWh);
            found = found.Where(i => i.GramsPerKWh == lowest).ToList();
        }
        if (found.Count == 0)
        {
            return TypedResults.NoContent();
        }
        SignalHeader.Set(http.Response, found.Select(i => i.Signal));
        return TypedResults.Ok(found.Select(i => new EmissionsDataView(i.Region, i.Start, i.GramsPerKWh, i.Duration)).ToList());
    }

    public static async Task<IResult> AverageAsync(HttpContext http, CarbonAwareData data, CarbonOptions options, CancellationToken cancellationToken)
    {
        var query = new CarbonAwareQuery(http.Request.Query, options);
        var location = query.Locations().FirstOrDefault();
        var start = query.Time("startTime");
        var end = query.Time("endTime");
        foreach (var (value, name) in new[] { (start, "startTime"), (end, "endTime") })
        {
            if (value is null && !query.Errors.ContainsKey(name))
            {
                query.Fail(name, $"The {name} field is required.");
            }
        }
        query.Before(start, "startTime", end, "endTime");
        if (!query.Valid || location is null || start is not { } s || end is not { } e)
        {
            return TypedResults.ValidationProblem(query.Errors);
        }
        var observed = (await data.ObservedAsync(location, cancellationToken)).Slice(s, e);
        if (observed.MeanOver(s, e) is not { } mean)
        {
            return TypedResults.Problem(title: "No observed intensity", statusCode: StatusCodes.Status404NotFound,
                detail: $"GreenTrain has observed no intensity for {location} between {s:O} and {e:O}.");
        }
        SignalHeader.Set(http.Response, observed.Intervals.Select(i => i.Signal));
        return TypedResults.Ok(new CarbonIntensityView(location, s, e, mean));
    }
}
