namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// Country names and ISO 3166-1 alpha-3 codes for grid regions named by their alpha-2 code, for CodeCarbon's
/// country_name and country_iso_code columns and the model card. Sub-national regions keep their own name.
/// </summary>
public static class RegionNames
{
    private static readonly Dictionary<string, (string Name, string Iso3)> Countries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AT"] = ("Austria", "AUT"), ["BE"] = ("Belgium", "BEL"), ["CA"] = ("Canada", "CAN"), ["CH"] = ("Switzerland", "CHE"),
        ["DE"] = ("Germany", "DEU"), ["DK"] = ("Denmark", "DNK"), ["ES"] = ("Spain", "ESP"), ["FI"] = ("Finland", "FIN"),
        ["FR"] = ("France", "FRA"), ["GB"] = ("United Kingdom", "GBR"), ["UK"] = ("United Kingdom", "GBR"), ["IE"] = ("Ireland", "IRL"),
        ["IN"] = ("India", "IND"), ["IT"] = ("Italy", "ITA"), ["JP"] = ("Japan", "JPN"), ["NL"] = ("Netherlands", "NLD"),
        ["NO"] = ("Norway", "NOR"), ["PL"] = ("Poland", "POL"), ["PT"] = ("Portugal", "PRT"), ["SE"] = ("Sweden", "SWE"),
        ["US"] = ("United States", "USA"), ["AU"] = ("Australia", "AUS"), ["BR"] = ("Brazil", "BRA"), ["SG"] = ("Singapore", "SGP"),
    };

    /// <summary>The country for a region code ("DE", or "DE-north" style sub-regions); nulls when unknown.</summary>
    public static (string? Name, string? Iso3) Lookup(string region)
    {
        var country = region.Split('-', '_', ':')[0];
        return Countries.TryGetValue(country, out var found) ? (found.Name, found.Iso3) : (null, null);
    }
}
