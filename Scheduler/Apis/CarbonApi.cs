using GreenTrain.Scheduler.Forecasting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenTrain.Scheduler.Apis;

public static class CarbonApi
{
    public static RouteGroupBuilder MapCarbonApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/carbon").WithTags("Carbon").AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/{region}/forecast", GetForecastAsync).WithName("GetForecast")
            .WithSummary("The intensity forecast the planner uses for a region, with its origin (provider, last good or persistence).");
        return api;
    }

    public static async Task<Results<Ok<ForecastView>, ProblemHttpResult>> GetForecastAsync(
        string region, ForecastService forecasts, CarbonOptions options, CancellationToken cancellationToken)
    {
        if (!options.PlannedRegions.Contains(region, StringComparer.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(title: "Unknown region", detail: $"'{region}' is not planned for; regions: {string.Join(", ", options.PlannedRegions)}.",
                statusCode: StatusCodes.Status404NotFound);
        }
        var forecast = await forecasts.GetAsync(region, cancellationToken);
        if (forecast is null)
        {
            return TypedResults.Problem(title: "No forecast yet", detail: $"No forecast for {region} has been fetched yet; see the carbon health check.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var points = forecast.Series.Intervals.Select(i => new ForecastPoint(i.Start, i.End, Math.Round(i.GramsPerKWh, 3), i.Signal.ToString(), i.Source)).ToList();
        return TypedResults.Ok(new ForecastView(forecast.Region, forecast.Origin.ToString(), forecast.FetchedAt, forecast.Problem, points));
    }
}
