using System.Globalization;
using System.Security;
using System.Text;

namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// A carbon label laid out like a nutrition-facts panel: a heavy title, the emissions per training run as
/// the headline, then energy by component with its share and method, the conditions (PUE, intensity,
/// time), the comparison with running at once, and footnotes on how each figure was obtained.
/// </summary>
public static class CarbonLabelSvg
{
    private const int Width = 340;
    private const int Margin = 10;
    private const int Right = Width - Margin;

    public static string Write(EmissionsReport report)
    {
        var svg = new SvgCanvas(Width, Margin);
        svg.Text("Carbon Facts", 30, bold: true, lineHeight: 34);
        svg.Text($"Training run {report.ProjectName}", 12);
        foreach (var line in Conditions(report))
        {
            svg.Text(line, 12);
        }
        svg.Bar(9);
        svg.Text("Amount per training run", 11, bold: true, lineHeight: 15);
        svg.Row("Emissions", Units.Mass(report.EmissionsGrams) + " CO2eq", 20, bold: true, lineHeight: 26);
        svg.Bar(5);
        svg.Row("", "% energy", 10, bold: true, lineHeight: 13);
        svg.Rule();
        svg.Row($"Energy (IT) {Units.Energy(report.EnergyKwh)}", "100%", 13, bold: true);
        foreach (var kind in report.ByKind)
        {
            var methods = report.MethodsByKind.GetValueOrDefault(kind.Key, "?");
            var share = report.EnergyKwh > 0 ? 100 * kind.EnergyKwh / report.EnergyKwh : 0;
            svg.Row($"{Title(kind.Key)} {Units.Energy(kind.EnergyKwh)} ({methods})", $"{share:F0}%", 12, indent: 14);
        }
        svg.Row($"Facility energy, PUE {report.Pue.ToString("0.0#", CultureInfo.InvariantCulture)}", Units.Energy(report.FacilityEnergyKwh), 13, bold: true);
        svg.Row("Grid intensity, mean", $"{Units.Number(report.Intensity.MeanGramsPerKwh)} g/kWh", 12);
        svg.Row("from", IntensityOrigin(report.Intensity), 11, indent: 14);
        svg.Row("Active time", Units.Duration(report.ActiveSeconds), 12);
        svg.Row("GPU-hours", Units.Number(report.GpuHours), 12);
        if (report.Dedup is { } dedup)
        {
            var dedupKwh = report.ByPhase.FirstOrDefault(p => p.Key == "dedup")?.EnergyKwh ?? (dedup.EnergyJoules ?? 0) / 3.6e6;
            svg.Row("Data removed by dedup", $"{100 * dedup.RemovedFraction:F1}% of {dedup.Examples}", 12);
            svg.Row("dedup stage energy, included", Units.Energy(dedupKwh), 11, indent: 14);
        }
        if (report.UnbilledPausedKwh > 0)
        {
            svg.Row("Paused, not billed", Units.Energy(report.UnbilledPausedKwh), 12);
        }
        svg.Bar(5);
        if (report.RunAtOnce is { } once)
        {
            svg.Row("Run at once would emit", Units.Mass(once.EmissionsGrams), 12, bold: true);
            svg.Row(once.SavedGrams >= 0 ? "saved by scheduling" : "added by scheduling",
                $"{Units.Mass(Math.Abs(once.SavedGrams))} ({Math.Abs(once.SavedPercent):F1}%)", 12, indent: 14);
        }
        svg.Row("SCI per training run", Units.Mass(report.Sci.GramsPerRun) + " CO2eq", 12, bold: true);
        if (report.Cost is { } cost)
        {
            svg.Row("Energy cost", $"{Units.Number(cost.Amount)} {cost.Currency}", 12);
        }
        if (report.Prediction is { } prediction && prediction.StepsDone < prediction.TotalSteps)
        {
            svg.Row("Predicted for the whole run", Units.Mass(prediction.EmissionsGrams), 12);
        }
        svg.Bar(9);
        svg.Paragraph("counter = hardware energy counter (NVML, RAPL); integrated = power sampled at 10 Hz or more; "
            + "estimate = model (CPU TDP x utilisation, RAM 0.375 W/GB). Emissions = energy x grid intensity at that "
            + "time x PUE. Paused time is not billed.", 9);
        svg.Paragraph($"{report.GeneratedBy} | {report.ExperimentId} / {report.RunId}", 9);
        return svg.Finish();
    }

    private static IEnumerable<string> Conditions(EmissionsReport report)
    {
        yield return "Grid region " + (report.CountryName is { } country ? $"{country} ({report.Region})" : report.Region);
        if (report.Start is { } start && report.End is { } end)
        {
            var (from, to) = (start.UtcDateTime, end.UtcDateTime);
            yield return from.Date == to.Date
                ? $"{from:yyyy-MM-dd}, {from:HH:mm} to {to:HH:mm} UTC"
                : $"{from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm} UTC";
        }
    }

    private static string IntensityOrigin(IntensityUsed intensity) => (intensity.Basis, intensity.SeriesSource) switch
    {
        ("series", var source) => $"series {source}",
        ("mixed", var source) => $"series {source} + its mean",
        (_, { } source) => $"mean of {source} (outside its span)",
        _ => "one average (no series)",
    };

    private static string Title(string key) => key switch
    {
        "gpu" => "GPU",
        "cpu" => "CPU",
        "memory" => "Memory",
        _ => key,
    };

    /// <summary>Lays out lines from the top down and keeps the height, so the frame fits the content.</summary>
    private sealed class SvgCanvas(int width, int margin)
    {
        private readonly StringBuilder _body = new();
        private double _y = margin;

        public void Text(string text, int size, bool bold = false, int? lineHeight = null, int indent = 0)
        {
            _y += lineHeight ?? size + 5;
            _body.Append(CultureInfo.InvariantCulture, $"<text x=\"{margin + 4 + indent}\" y=\"{_y - 4:F0}\" font-size=\"{size}\"{Weight(bold)}>{Escape(text)}</text>\n");
        }

        public void Row(string left, string right, int size, bool bold = false, int? lineHeight = null, int indent = 0)
        {
            Text(left, size, bold, lineHeight, indent);
            _body.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - margin - 4}\" y=\"{_y - 4:F0}\" font-size=\"{size}\" text-anchor=\"end\"{Weight(bold)}>{Escape(right)}</text>\n");
            Rule();
        }

        public void Rule() => _body.Append(CultureInfo.InvariantCulture, $"<line x1=\"{margin + 4}\" x2=\"{width - margin - 4}\" y1=\"{_y:F1}\" y2=\"{_y:F1}\" stroke=\"#000\" stroke-width=\"0.6\"/>\n");

        public void Bar(int thickness)
        {
            _y += 3;
            _body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{margin + 4}\" y=\"{_y:F1}\" width=\"{width - 2 * margin - 8}\" height=\"{thickness}\" fill=\"#000\"/>\n");
            _y += thickness;
        }

        /// <summary>Wraps small print at about the width the panel holds (a character is ~0.52 em).</summary>
        public void Paragraph(string text, int size)
        {
            var perLine = (int)((width - 2 * margin - 8) / (size * 0.56));
            var line = new StringBuilder();
            foreach (var word in text.Split(' '))
            {
                if (line.Length + word.Length + 1 > perLine && line.Length > 0)
                {
                    Text(line.ToString(), size, lineHeight: size + 3);
                    line.Clear();
                }
                line.Append(line.Length > 0 ? " " : "").Append(word);
            }
            if (line.Length > 0)
            {
                Text(line.ToString(), size, lineHeight: size + 3);
            }
        }

        public string Finish()
        {
            var height = (int)Math.Ceiling(_y + margin + 4);
            return $"""
                <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">
                <rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>
                <rect x="{margin}" y="{margin / 2}" width="{width - 2 * margin}" height="{height - margin}" fill="none" stroke="#000" stroke-width="2"/>
                {_body}</svg>

                """;
        }

        private static string Weight(bool bold) => bold ? " font-weight=\"bold\"" : "";

        private static string Escape(string text) => SecurityElement.Escape(text);
    }
}
