namespace GreenTrain.ServiceDefaults.Carbon.Traces;

/// <summary>
/// How a trace's time stamps are read. Only the zone of time stamps written without an offset can be chosen;
/// everything else (gaps, duplicates, resolution changes) follows one rule for every reader (see <see cref="PointSamples"/>).
/// </summary>
/// <param name="ZonelessTimes">The clock of time stamps without an offset. UTC by default: the shipped 2020 traces
/// are UTC (no hour missing in March or repeated in October; Germany's summer minimum sits at solar noon in UTC).</param>
public sealed record TracePolicy(TimeZoneInfo ZonelessTimes)
{
    public static TracePolicy Utc { get; } = new(TimeZoneInfo.Utc);

    /// <summary>A policy from a time-zone id ("UTC", "Europe/Berlin"); throws TimeZoneNotFoundException naming it.</summary>
    public static TracePolicy ForZone(string timeZoneId) =>
        timeZoneId.Equals("UTC", StringComparison.OrdinalIgnoreCase) ? Utc : new(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));
}
