using System.Text.RegularExpressions;
using GreenTrain.Telemetry.Ui;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenTrain.Telemetry.Apis;

/// <summary>The web UI's regions page: each region's cached intensity forecast, its origin, and the actuals with the forecast's error.</summary>
public static partial class RegionsApi
{
    public static IEndpointRouteBuilder MapRegionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/regions").WithTags("UI");
        api.MapGet("/", ListAsync).WithName("ListRegions");
        api.MapGet("/{region}", GetAsync).WithName("GetRegion");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<RegionView>>> ListAsync(RegionIntensity regions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await regions.ListAsync(cancellationToken));

    public static async Task<Results<Ok<RegionView>, ProblemHttpResult>> GetAsync(string region, RegionIntensity regions, CancellationToken cancellationToken) =>
        RegionCode().IsMatch(region)
            ? TypedResults.Ok(await regions.GetAsync(region, cancellationToken))
            : TypedResults.Problem(title: "Invalid region", detail: "region: a region code is 1-128 letters, digits, '.', '_' or '-'.",
                statusCode: StatusCodes.Status400BadRequest);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex RegionCode();
}
