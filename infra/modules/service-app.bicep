// One always-on service with external HTTPS ingress (the Scheduler's API, Telemetry's UI and reports). Secrets are
// Container Apps secrets referenced by the environment; the store's connection string is built here from the Managed
// Redis access key, so the key never passes through a deployment output.
param name string
param location string
param tags object
param environmentId string
param registryName string
param pullIdentityId string
param redisName string

@minValue(1)
@description('Replicas that always run. Only services safe as several replicas (the Scheduler: one leader by a lease in the store) take more than 1.')
param minReplicas int = 1

@minValue(1)
@description('Most replicas HTTP load may scale the app to.')
param maxReplicas int = 1

@description('Plain settings: [{ name, value }].')
param settings array = []

@secure()
@description('Secret settings: { items: [{ name (secret name), value, setting (environment variable) }] }.')
param secretSettings object

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource redis 'Microsoft.Cache/redisEnterprise@2025-04-01' existing = {
  name: redisName
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' existing = {
  parent: redis
  name: 'default'
}

var storeConnection = '${redis.properties.hostName}:10000,password=${database.listKeys().primaryKey},ssl=true,abortConnect=false'
var secrets = concat([{ name: 'store-connection', value: storeConnection }], map(secretSettings.items, s => { name: s.name, value: s.value }))
var secretEnv = concat([{ name: 'ConnectionStrings__store', secretRef: 'store-connection' }], map(secretSettings.items, s => { name: s.setting, secretRef: s.name }))

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': name })
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${pullIdentityId}': {} } }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      ingress: { external: true, targetPort: 8080, transport: 'http', allowInsecure: false }
      registries: [{ server: registry.properties.loginServer, identity: pullIdentityId }]
      secrets: secrets
    }
    template: {
      containers: [
        {
          name: name
          // azd deploy replaces this placeholder with the image it builds from the project.
          image: 'mcr.microsoft.com/dotnet/samples:aspnetapp'
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat([{ name: 'ASPNETCORE_FORWARDEDHEADERS_ENABLED', value: 'true' }, { name: 'OTEL_SERVICE_NAME', value: name }], settings, secretEnv)
          probes: [
            { type: 'Liveness', httpGet: { path: '/alive', port: 8080 } }
            { type: 'Readiness', httpGet: { path: '/health', port: 8080 } }
          ]
        }
      ]
      scale: { minReplicas: minReplicas, maxReplicas: max(minReplicas, maxReplicas) }
    }
  }
}

output url string = 'https://${app.properties.configuration.ingress.fqdn}'
