namespace GreenTrain.Telemetry.Reports;

/// <summary>A run's place in CodeCarbon's terms: country_name, country_iso_code (alpha-3), region (state or province), cloud columns.</summary>
public sealed record CodeCarbonLocation(string CountryName, string CountryIso3, string Region, string CloudProvider, string CloudRegion)
{
    public bool OnCloud => CloudProvider.Length > 0;
}

/// <summary>
/// Country names and ISO 3166-1 alpha-3 codes for the grid regions GreenTrain prices: country codes ("DE"),
/// Electricity Maps zones ("US-CAL-CISO", "DK-DK1": the country is the part before the first '-'), WattTime
/// balancing authorities ("CAISO_NORTH") and cloud regions (<see cref="CloudRegions"/>, which the Carbon Aware SDK
/// uses as locations). For CodeCarbon's columns and the model card.
/// </summary>
public static class RegionNames
{
    private static readonly Dictionary<string, (string Name, string Iso3)> Countries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AE"] = ("United Arab Emirates", "ARE"), ["AR"] = ("Argentina", "ARG"), ["AT"] = ("Austria", "AUT"), ["AU"] = ("Australia", "AUS"),
        ["BE"] = ("Belgium", "BEL"), ["BG"] = ("Bulgaria", "BGR"), ["BH"] = ("Bahrain", "BHR"), ["BR"] = ("Brazil", "BRA"),
        ["CA"] = ("Canada", "CAN"), ["CH"] = ("Switzerland", "CHE"), ["CL"] = ("Chile", "CHL"), ["CN"] = ("China", "CHN"),
        ["CO"] = ("Colombia", "COL"), ["CY"] = ("Cyprus", "CYP"), ["CZ"] = ("Czechia", "CZE"), ["DE"] = ("Germany", "DEU"),
        ["DK"] = ("Denmark", "DNK"), ["EE"] = ("Estonia", "EST"), ["EG"] = ("Egypt", "EGY"), ["ES"] = ("Spain", "ESP"),
        ["FI"] = ("Finland", "FIN"), ["FR"] = ("France", "FRA"), ["GB"] = ("United Kingdom", "GBR"), ["UK"] = ("United Kingdom", "GBR"),
        ["GR"] = ("Greece", "GRC"), ["HK"] = ("Hong Kong", "HKG"), ["HR"] = ("Croatia", "HRV"), ["HU"] = ("Hungary", "HUN"),
        ["ID"] = ("Indonesia", "IDN"), ["IE"] = ("Ireland", "IRL"), ["IL"] = ("Israel", "ISR"), ["IN"] = ("India", "IND"),
        ["IS"] = ("Iceland", "ISL"), ["IT"] = ("Italy", "ITA"), ["JP"] = ("Japan", "JPN"), ["KR"] = ("South Korea", "KOR"),
        ["LT"] = ("Lithuania", "LTU"), ["LU"] = ("Luxembourg", "LUX"), ["LV"] = ("Latvia", "LVA"), ["MT"] = ("Malta", "MLT"),
        ["MX"] = ("Mexico", "MEX"), ["MY"] = ("Malaysia", "MYS"), ["NL"] = ("Netherlands", "NLD"), ["NO"] = ("Norway", "NOR"),
        ["NZ"] = ("New Zealand", "NZL"), ["PH"] = ("Philippines", "PHL"), ["PL"] = ("Poland", "POL"), ["PT"] = ("Portugal", "PRT"),
        ["QA"] = ("Qatar", "QAT"), ["RO"] = ("Romania", "ROU"), ["RS"] = ("Serbia", "SRB"), ["SA"] = ("Saudi Arabia", "SAU"),
        ["SE"] = ("Sweden", "SWE"), ["SG"] = ("Singapore", "SGP"), ["SI"] = ("Slovenia", "SVN"), ["SK"] = ("Slovakia", "SVK"),
        ["TH"] = ("Thailand", "THA"), ["TR"] = ("Turkey", "TUR"), ["TW"] = ("Taiwan", "TWN"), ["UA"] = ("Ukraine", "UKR"),
        ["US"] = ("United States", "USA"), ["VN"] = ("Vietnam", "VNM"), ["ZA"] = ("South Africa", "ZAF"),
    };

    /// <summary>WattTime's balancing authorities GreenTrain's samples and docs use, with the state each mostly serves.</summary>
    private static readonly Dictionary<string, string> WattTimeStates = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CAISO_NORTH"] = "california", ["CAISO_SOUTH"] = "california", ["ERCOT"] = "texas", ["ERCOT_NORTHCENTRAL"] = "texas",
        ["PJM"] = "", ["PJM_DC"] = "district of columbia", ["MISO"] = "", ["ISONE"] = "", ["NYISO"] = "new york", ["NYISO_NYC"] = "new york",
        ["SPP"] = "", ["BPA"] = "", ["PACW"] = "oregon", ["PACE"] = "utah", ["AZPS"] = "arizona", ["FPL"] = "florida", ["DUK"] = "north carolina",
    };

    /// <summary>Every region code that <see cref="Locate"/> places in a country, for tests and docs.</summary>
    public static IEnumerable<string> Known => Countries.Keys.Concat(WattTimeStates.Keys).Concat(CloudRegions.Known);

    /// <summary>The country for a region code ("DE", or "DE-north" style sub-regions); nulls when unknown.</summary>
    public static (string? Name, string? Iso3) Lookup(string region)
    {
        var location = Locate(region, "", "");
        return location.CountryIso3.Length > 0 ? (location.CountryName, location.CountryIso3) : (null, null);
    }

    /// <summary>
    /// CodeCarbon's location columns for a run priced in <paramref name="region"/>: a named cloud region wins (its
    /// country and state), then the grid region as a cloud region, a WattTime authority or a country or zone code.
    /// `region` is CodeCarbon's state or province, empty when the grid region is a whole country.
    /// </summary>
    public static CodeCarbonLocation Locate(string region, string cloudProvider, string cloudRegion)
    {
        if (CloudRegions.Find(cloudRegion.Length > 0 ? cloudRegion : region) is { } cloud)
        {
            var (name, iso3) = Countries[cloud.Country];
            return new CodeCarbonLocation(name, iso3, cloud.State, cloudProvider.Length > 0 ? cloudProvider : cloud.Provider,
                cloudRegion.Length > 0 ? cloudRegion : region);
        }
        if (WattTimeStates.TryGetValue(region, out var state))
        {
            return new CodeCarbonLocation("United States", "USA", state, cloudProvider, cloudRegion);
        }
        var country = region.Split('-', '_', ':')[0];
        return Countries.TryGetValue(country, out var found)
            ? new CodeCarbonLocation(found.Name, found.Iso3, "", cloudProvider, cloudRegion)
            : new CodeCarbonLocation("", "", "", cloudProvider, cloudRegion);
    }
}
