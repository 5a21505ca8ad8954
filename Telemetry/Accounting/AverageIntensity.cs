namespace GreenTrain.Telemetry.Accounting;

/// <summary>The one average intensity used when no series exists for a region, unless the user gives one.</summary>
public static class AverageIntensity
{
    /// <summary>World average 2019, 475 gCO2/kWh (IEA, Global Energy &amp; CO2 Status Report 2019).</summary>
    public const double WorldGramsPerKwh = 475;

    public const string WorldSource = "world average 2019, IEA Global Energy & CO2 Status Report";
}
