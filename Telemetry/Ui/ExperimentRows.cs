using GreenTrain.Telemetry.Reports;

namespace GreenTrain.Telemetry.Ui;

/// <summary>The experiments table: every experiment the store knows, each with its measured report when it has windows.</summary>
public sealed class ExperimentRows(ExperimentDirectory directory, ExperimentReports reports)
{
    public async Task<IReadOnlyList<ExperimentRow>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = new List<ExperimentRow>();
        foreach (var sources in await directory.ListAsync())
        {
            var built = await reports.BuildAsync(sources.Id, cancellationToken);
            rows.Add(ExperimentRow.From(sources, built?.Report));
        }
        return rows.OrderByDescending(r => r.UpdatedAt ?? DateTimeOffset.MinValue).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }
}
