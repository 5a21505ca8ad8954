using System.Globalization;
using GreenTrain.Telemetry.Reports;
using GreenTrain.Telemetry.Tests.Support;

namespace GreenTrain.Telemetry.Tests.Reports;

public sealed class CodeCarbonCsvTests
{
    /// <summary>The header line of an emissions.csv that CodeCarbon 3.3.0 wrote (EmissionsTracker, machine mode).</summary>
    private const string CodeCarbon330Header =
        "timestamp,project_name,run_id,experiment_id,duration,emissions,emissions_rate,cpu_power,gpu_power,ram_power,"
        + "cpu_energy,gpu_energy,ram_energy,energy_consumed,water_consumed,country_name,country_iso_code,region,"
        + "cloud_provider,cloud_region,os,python_version,codecarbon_version,cpu_count,cpu_model,gpu_count,gpu_model,"
        + "longitude,latitude,ram_total_size,tracking_mode,cpu_utilization_percent,gpu_utilization_percent,"
        + "ram_utilization_percent,ram_used_gb,on_cloud,pue,wue";

    [Fact]
    public void Header_is_codecarbons_38_columns_in_its_order()
    {
        var csv = CodeCarbonCsv.Write(ReportFixtures.Report(), ReportFixtures.Windows(), ReportFixtures.Settings);

        var header = csv.Split('\n')[0];
        header.Should().Be(CodeCarbon330Header);
        header.Split(',').Should().HaveCount(38);
    }

    [Fact]
    public void Row_uses_codecarbons_units_kwh_kg_watts_and_seconds()
    {
        var report = ReportFixtures.Report();
        var row = Row(CodeCarbonCsv.Write(report, ReportFixtures.Windows(), ReportFixtures.Settings));

        // Billed: 1 h 10 min of training and evaluation; the 2 h pause is not billed.
        Number(row["duration"]).Should().BeApproximately(4200, 1e-9);
        Number(row["gpu_energy"]).Should().BeApproximately(1.1, 1e-12);
        Number(row["cpu_energy"]).Should().BeApproximately(0.21, 1e-12);
        Number(row["ram_energy"]).Should().BeApproximately(0.0525, 1e-12);
        Number(row["energy_consumed"]).Should().BeApproximately(1.3625, 1e-12);
        Number(row["gpu_power"]).Should().BeApproximately(1.1 * 3_600_000 / 4200, 1e-9);
        Number(row["emissions"]).Should().BeApproximately(report.EmissionsGrams / 1000, 1e-15);
        Number(row["emissions_rate"]).Should().BeApproximately(report.EmissionsGrams / 1000 / 4200, 1e-15);
        row["pue"].Should().Be("1.2");
        row["wue"].Should().Be("0.0");
        row["country_name"].Should().Be("Germany");
        row["country_iso_code"].Should().Be("DEU");
        row["gpu_model"].Should().Be("1 x NVIDIA H100 80GB HBM3");
        row["gpu_count"].Should().Be("1");
        row["on_cloud"].Should().Be("N");
        row["timestamp"].Should().Be("2020-06-01T12:10:00");
    }

    [Fact]
    public void A_value_with_a_comma_is_quoted_so_the_row_keeps_38_fields()
    {
        var report = ReportFixtures.Report() with { ProjectName = "digits, small \"mlp\"" };

        var row = Row(CodeCarbonCsv.Write(report, ReportFixtures.Windows(), ReportFixtures.Settings));

        row.Should().HaveCount(38);
        row["project_name"].Should().Be("digits, small \"mlp\"");
    }

    /// <summary>Reads the second line with RFC 4180 quoting, keyed by the header.</summary>
    private static Dictionary<string, string> Row(string csv)
    {
        var lines = csv.Split('\n');
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var line = lines[1];
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
            else if (c == '"') { quoted = !quoted; }
            else if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else { current.Append(c); }
        }
        fields.Add(current.ToString());
        return lines[0].Split(',').Zip(fields).ToDictionary(p => p.First, p => p.Second);
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
