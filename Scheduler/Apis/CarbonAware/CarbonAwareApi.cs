using GreenTrain.Scheduler.Forecasting;

namespace GreenTrain.Scheduler.Apis.CarbonAware;

/// <summary>
/// The Green Software Foundation Carbon Aware SDK's Web API, served from GreenTrain's own providers and forecaster,
/// so an SDK client (its CLI, generated clients, GreenTrain's own CarbonAwareSdkProvider) can point at the Scheduler.
/// Same API-key rule as /carbon and /experiments: the data may come from a licensed provider (WattTime, Electricity
/// Maps) whose terms forbid passing it on to anyone, so outside Development these routes need X-Api-Key as well.
/// </summary>
public static class CarbonAwareApi
{
    public static IEndpointRouteBuilder MapCarbonAwareApi(this IEndpointRouteBuilder app)
    {
        var emissions = app.MapGroup("/emissions").WithTags("Carbon Aware SDK").AddEndpointFilter<ApiKeyFilter>();
        emissions.MapGet("/bylocation", EmissionsHandlers.ByLocationAsync).WithName("SdkEmissionsByLocation")
            .WithSummary("Observed intensity of one location between time and toTime (g CO2e/kWh).");
        emissions.MapGet("/bylocations", EmissionsHandlers.ByLocationsAsync).WithName("SdkEmissionsByLocations")
            .WithSummary("Observed intensity of several locations between time and toTime.");
        emissions.MapGet("/bylocations/best", EmissionsHandlers.BestAsync).WithName("SdkBestEmissions")
            .WithSummary("The lowest observed intensity among several locations between time and toTime.");
        emissions.MapGet("/average-carbon-intensity", EmissionsHandlers.AverageAsync).WithName("SdkAverageCarbonIntensity")
            .WithSummary("The time-weighted mean observed intensity of a location between startTime and endTime.");
        emissions.MapGet("/forecasts/current", ForecastHandlers.CurrentAsync).WithName("SdkCurrentForecast")
            .WithSummary("The current forecast per location, as windowSize-minute means within dataStartAt..dataEndAt, with the optimal ones.");
        emissions.MapPost("/forecasts/batch", ForecastHandlers.BatchAsync).WithName("SdkForecastBatch")
            .WithSummary("The forecast each item could have had at its requestedAt, with its optimal windows.");
        app.MapGet("/locations", GetLocations).WithTags("Carbon Aware SDK").WithName("SdkLocations")
            .WithSummary("The locations this server knows (the planned regions).").AddEndpointFilter<ApiKeyFilter>();
        return app;
    }

    public static IResult GetLocations(CarbonOptions options) =>
        TypedResults.Ok(options.PlannedRegions.ToDictionary(r => r, r => new LocationView(null, null, r)));
}
