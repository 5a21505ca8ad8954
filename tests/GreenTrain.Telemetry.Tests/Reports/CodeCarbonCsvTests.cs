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
        // CodeCarbon multiplies each measured energy by the PUE (1.2 here); powers stay the devices' own.
        Number(row["gpu_energy"]).Should().BeApproximately(1.1 * 1.2, 1e-12);
        Number(row["cpu_energy"]).Should().BeApproximately(0.21 * 1.2, 1e-12);
        Number(row["ram_energy"]).Should().BeApproximately(0.0525 * 1.2, 1e-12);
        Number(row["energy_consumed"]).Should().BeApproximately(1.3625 * 1.2, 1e-12);
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
    public void Emissions_over_energy_consumed_is_the_grid_intensity_whatever_the_pue()
    {
        double Intensity(double pue)
        {
            var report = ReportBuilder.Build(ReportFixtures.Windows(), ReportFixtures.Run, ReportFixtures.Germany, ReportFixtures.Accounting(pue), ReportFixtures.Settings);
            var row = Row(CodeCarbonCsv.Write(report, ReportFixtures.Windows(), ReportFixtures.Settings));
            Number(row["energy_consumed"]).Should().BeApproximately(
                Number(row["cpu_energy"]) + Number(row["gpu_energy"]) + Number(row["ram_energy"]), 1e-12, "energy_consumed is the sum of the parts");
            return 1000 * Number(row["emissions"]) / Number(row["energy_consumed"]);
        }

        var atOne = Intensity(1.0);

        Intensity(1.5).Should().BeApproximately(atOne, 1e-9, "CodeCarbon readers divide emissions by energy_consumed to get g/kWh");
        atOne.Should().BeInRange(100, 800, "a German grid intensity in g/kWh");
    }

    [Theory]
    [InlineData("eastus", "", "", "United States", "USA", "virginia", "azure", "eastus", "Y")]
    [InlineData("DE", "aws", "eu-central-1", "Germany", "DEU", "hesse", "aws", "eu-central-1", "Y")]
    [InlineData("US-CAL-CISO", "", "", "United States", "USA", "", "", "", "N")]
    [InlineData("CAISO_NORTH", "", "", "United States", "USA", "california", "", "", "N")]
    [InlineData("FR", "", "", "France", "FRA", "", "", "", "N")]
    public void Location_columns_have_codecarbons_meaning(string region, string cloud, string cloudRegion,
        string country, string iso3, string state, string provider, string providerRegion, string onCloud)
    {
        var report = ReportFixtures.Report() with { Region = region };
        var settings = ReportFixtures.Settings with { CloudProvider = cloud, CloudRegion = cloudRegion };

        var row = Row(CodeCarbonCsv.Write(report, ReportFixtures.Windows(), settings));

        (row["country_name"], row["country_iso_code"], row["region"]).Should().Be((country, iso3, state));
        (row["cloud_provider"], row["cloud_region"], row["on_cloud"]).Should().Be((provider, providerRegion, onCloud));
    }

    [Fact]
    public void Every_region_we_price_has_a_three_letter_country_code()
    {
        foreach (var region in RegionNames.Known)
        {
            RegionNames.Locate(region, "", "").CountryIso3.Should().MatchRegex("^[A-Z]{3}$", $"carbonboard reads country_iso_code for {region}");
        }
    }

    [Fact]
    public void Ram_used_and_utilisation_come_from_the_memory_readings()
    {
        const long used = 100L * 1024 * 1024 * 1024; // 100 GiB of the fixture's 503.5
        var windows = ReportFixtures.Windows().Select(w => w with
        {
            Devices = [.. w.Devices.Select(d => d.Kind == GreenTrain.ServiceDefaults.Contracts.DeviceKind.Memory ? d with { MemoryUsedBytes = used } : d)],
        }).ToList();

        var row = Row(CodeCarbonCsv.Write(ReportFixtures.Report(), windows, ReportFixtures.Settings));

        Number(row["ram_used_gb"]).Should().BeApproximately(100, 1e-9);
        Number(row["ram_utilization_percent"]).Should().BeApproximately(100 * 100 / 503.5, 1e-9);
        Number(row["ram_total_size"]).Should().BeApproximately(503.5, 1e-9);
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
