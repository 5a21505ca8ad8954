namespace GreenTrain.Telemetry.Reports;

/// <summary>
/// Where the providers' regions are: country (ISO 3166-1 alpha-2) and, for CodeCarbon's `region` column, the state or
/// province, lower-case as CodeCarbon writes it. Locations from each provider's published region list (Azure
/// "Azure geographies", AWS "Regions and Availability Zones", Google Cloud "Cloud locations"). The Carbon Aware SDK
/// names its locations by Azure region, so a run priced for `eastus` is found here even without --cloud.
/// </summary>
public static class CloudRegions
{
    private static readonly Dictionary<string, (string Provider, string Country, string State)> Regions = new(StringComparer.OrdinalIgnoreCase)
    {
        // Azure
        ["eastus"] = ("azure", "US", "virginia"), ["eastus2"] = ("azure", "US", "virginia"), ["westus"] = ("azure", "US", "california"),
        ["westus2"] = ("azure", "US", "washington"), ["westus3"] = ("azure", "US", "arizona"), ["centralus"] = ("azure", "US", "iowa"),
        ["northcentralus"] = ("azure", "US", "illinois"), ["southcentralus"] = ("azure", "US", "texas"), ["westcentralus"] = ("azure", "US", "wyoming"),
        ["canadacentral"] = ("azure", "CA", "ontario"), ["canadaeast"] = ("azure", "CA", "quebec"), ["brazilsouth"] = ("azure", "BR", "sao paulo"),
        ["northeurope"] = ("azure", "IE", "dublin"), ["westeurope"] = ("azure", "NL", "north holland"), ["uksouth"] = ("azure", "GB", "london"),
        ["ukwest"] = ("azure", "GB", "cardiff"), ["francecentral"] = ("azure", "FR", "paris"), ["francesouth"] = ("azure", "FR", "marseille"),
        ["germanywestcentral"] = ("azure", "DE", "hesse"), ["germanynorth"] = ("azure", "DE", "berlin"), ["norwayeast"] = ("azure", "NO", "oslo"),
        ["norwaywest"] = ("azure", "NO", "stavanger"), ["swedencentral"] = ("azure", "SE", "gavle"), ["switzerlandnorth"] = ("azure", "CH", "zurich"),
        ["switzerlandwest"] = ("azure", "CH", "geneva"), ["polandcentral"] = ("azure", "PL", "warsaw"), ["italynorth"] = ("azure", "IT", "milan"),
        ["spaincentral"] = ("azure", "ES", "madrid"), ["eastasia"] = ("azure", "HK", "hong kong"), ["southeastasia"] = ("azure", "SG", "singapore"),
        ["japaneast"] = ("azure", "JP", "tokyo"), ["japanwest"] = ("azure", "JP", "osaka"), ["koreacentral"] = ("azure", "KR", "seoul"),
        ["koreasouth"] = ("azure", "KR", "busan"), ["australiaeast"] = ("azure", "AU", "new south wales"), ["australiasoutheast"] = ("azure", "AU", "victoria"),
        ["australiacentral"] = ("azure", "AU", "canberra"), ["centralindia"] = ("azure", "IN", "pune"), ["southindia"] = ("azure", "IN", "chennai"),
        ["westindia"] = ("azure", "IN", "mumbai"), ["southafricanorth"] = ("azure", "ZA", "johannesburg"), ["uaenorth"] = ("azure", "AE", "dubai"),
        ["qatarcentral"] = ("azure", "QA", "doha"), ["israelcentral"] = ("azure", "IL", "israel"), ["mexicocentral"] = ("azure", "MX", "queretaro"),
        // AWS
        ["us-east-1"] = ("aws", "US", "virginia"), ["us-east-2"] = ("aws", "US", "ohio"), ["us-west-1"] = ("aws", "US", "california"),
        ["us-west-2"] = ("aws", "US", "oregon"), ["ca-central-1"] = ("aws", "CA", "quebec"), ["sa-east-1"] = ("aws", "BR", "sao paulo"),
        ["eu-west-1"] = ("aws", "IE", "dublin"), ["eu-west-2"] = ("aws", "GB", "london"), ["eu-west-3"] = ("aws", "FR", "paris"),
        ["eu-central-1"] = ("aws", "DE", "hesse"), ["eu-central-2"] = ("aws", "CH", "zurich"), ["eu-north-1"] = ("aws", "SE", "stockholm"),
        ["eu-south-1"] = ("aws", "IT", "milan"), ["eu-south-2"] = ("aws", "ES", "aragon"), ["ap-northeast-1"] = ("aws", "JP", "tokyo"),
        ["ap-northeast-2"] = ("aws", "KR", "seoul"), ["ap-northeast-3"] = ("aws", "JP", "osaka"), ["ap-southeast-1"] = ("aws", "SG", "singapore"),
        ["ap-southeast-2"] = ("aws", "AU", "new south wales"), ["ap-south-1"] = ("aws", "IN", "mumbai"), ["ap-east-1"] = ("aws", "HK", "hong kong"),
        ["me-south-1"] = ("aws", "BH", "bahrain"), ["af-south-1"] = ("aws", "ZA", "cape town"),
        // Google Cloud
        ["us-central1"] = ("gcp", "US", "iowa"), ["us-east1"] = ("gcp", "US", "south carolina"), ["us-east4"] = ("gcp", "US", "virginia"),
        ["us-west1"] = ("gcp", "US", "oregon"), ["us-west2"] = ("gcp", "US", "california"), ["us-west3"] = ("gcp", "US", "utah"),
        ["us-west4"] = ("gcp", "US", "nevada"), ["northamerica-northeast1"] = ("gcp", "CA", "quebec"), ["northamerica-northeast2"] = ("gcp", "CA", "ontario"),
        ["southamerica-east1"] = ("gcp", "BR", "sao paulo"), ["europe-west1"] = ("gcp", "BE", "hainaut"), ["europe-west2"] = ("gcp", "GB", "london"),
        ["europe-west3"] = ("gcp", "DE", "hesse"), ["europe-west4"] = ("gcp", "NL", "groningen"), ["europe-west6"] = ("gcp", "CH", "zurich"),
        ["europe-west8"] = ("gcp", "IT", "milan"), ["europe-west9"] = ("gcp", "FR", "paris"), ["europe-north1"] = ("gcp", "FI", "hamina"),
        ["europe-southwest1"] = ("gcp", "ES", "madrid"), ["europe-central2"] = ("gcp", "PL", "warsaw"), ["asia-east1"] = ("gcp", "TW", "changhua"),
        ["asia-east2"] = ("gcp", "HK", "hong kong"), ["asia-northeast1"] = ("gcp", "JP", "tokyo"), ["asia-northeast3"] = ("gcp", "KR", "seoul"),
        ["asia-south1"] = ("gcp", "IN", "mumbai"), ["asia-southeast1"] = ("gcp", "SG", "jurong west"), ["australia-southeast1"] = ("gcp", "AU", "new south wales"),
    };

    public static IReadOnlyCollection<string> Known => Regions.Keys;

    /// <summary>The provider, country and state of a cloud region name; null when it is not one.</summary>
    public static (string Provider, string Country, string State)? Find(string? name) =>
        name is not null && Regions.TryGetValue(name, out var found) ? found : null;
}
