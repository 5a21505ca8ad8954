using GreenTrain.ServiceDefaults.Contracts;
using System.Text.RegularExpressions;
using GreenTrain.Telemetry.Reports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GreenTrain.Telemetry.Apis;

/// <summary>An experiment's footprint: the JSON report, CodeCarbon's CSV, the carbon label and the model-card block.</summary>
public static partial class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var experiments = app.MapGroup("/experiments/{id}").WithTags("Reports");
        experiments.MapGet("/report", GetReportAsync).WithName("GetEmissionsReport");
        experiments.MapGet("/emissions.csv", GetCsvAsync).WithName("GetEmissionsCsv");
        experiments.MapGet("/label.svg", GetLabelAsync).WithName("GetCarbonLabel");
        experiments.MapGet("/model-card.yaml", GetModelCardAsync).WithName("GetModelCardBlock");
        experiments.MapGet("/prediction", GetPredictionAsync).WithName("GetEnergyPrediction");
        return app;
    }

    public static async Task<Results<Ok<EmissionsReport>, ProblemHttpResult>> GetReportAsync(string id, ExperimentReports reports, CancellationToken cancellationToken)
    {
        var (built, problem) = await BuildAsync(id, reports, cancellationToken);
        return built is { } b ? TypedResults.Ok(b.Report) : problem!;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetCsvAsync(string id, ExperimentReports reports, CancellationToken cancellationToken)
    {
        var (built, problem) = await BuildAsync(id, reports, cancellationToken);
        return built is { } b ? TypedResults.Text(CodeCarbonCsv.Write(b.Report, b.Windows, b.Settings), "text/csv") : problem!;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetLabelAsync(string id, ExperimentReports reports, CancellationToken cancellationToken)
    {
        var (built, problem) = await BuildAsync(id, reports, cancellationToken);
        return built is { } b ? TypedResults.Text(CarbonLabelSvg.Write(b.Report), "image/svg+xml") : problem!;
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetModelCardAsync(string id, ExperimentReports reports, CancellationToken cancellationToken)
    {
        var (built, problem) = await BuildAsync(id, reports, cancellationToken);
        return built is { } b ? TypedResults.Text(ModelCardYaml.Write(b.Report, b.Settings.TrainingType), "application/yaml") : problem!;
    }

    /// <summary>The run's predicted totals and what remains (for the Scheduler); 404 until the first epoch or share of steps is done.</summary>
    public static async Task<Results<Ok<RunPrediction>, ProblemHttpResult>> GetPredictionAsync(
        string id, ExperimentReports reports, CancellationToken cancellationToken)
    {
        var (built, problem) = await BuildAsync(id, reports, cancellationToken);
        if (built is not { } b)
        {
            return problem!;
        }
        return b.Report.Prediction is { } prediction
            ? TypedResults.Ok(prediction)
            : TypedResults.Problem(title: "No prediction yet",
                detail: "A prediction needs the run's planned steps (energy-run.json) and its first epoch, or the configured share of its steps, done.",
                statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<((EmissionsReport Report, IReadOnlyList<GreenTrain.ServiceDefaults.Contracts.EnergyWindow> Windows, ReportSettings Settings)?, ProblemHttpResult?)> BuildAsync(
        string id, ExperimentReports reports, CancellationToken cancellationToken)
    {
        if (!ExperimentId().IsMatch(id))
        {
            return (null, TypedResults.Problem(title: "Invalid experiment id",
                detail: "An experiment id is 1-128 letters, digits, '.', '_' or '-'.", statusCode: StatusCodes.Status400BadRequest));
        }
        var built = await reports.BuildAsync(id, cancellationToken);
        return built is null
            ? (null, TypedResults.Problem(title: "No energy recorded", detail: $"Experiment '{id}' has no energy windows in the store.",
                statusCode: StatusCodes.Status404NotFound))
            : (built, null);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex ExperimentId();
}
