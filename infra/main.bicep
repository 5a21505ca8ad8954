// GreenTrain on Azure Container Apps: `azd up` provisions this, then builds and deploys each service in azure.yaml
// into the app tagged with its name. What the AppHost's manifest declares (aspire-manifest.json), this makes real,
// plus what a manifest cannot say: the GPU workload profile, one trainer per region scaled on its command queue, and
// Azure Managed Redis in place of the Redis container. tests/GreenTrain.AppHost.Tests/Deployment checks both agree.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; every resource name derives from it.')
param environmentName string

@minLength(1)
@description('Azure region for all resources. Serverless GPUs exist in a few regions only (see docs/deploy.md).')
param location string

@description('Grid regions planned for (carbon provider zones). Each gets a trainer app, trainer-<region>, and a service of that name in azure.yaml.')
param gridRegions array = [
  'DE'
  'FR'
]

@allowed([
  'electricitymaps'
  'watttime'
  'uk'
  'carbonaware'
])
@description('Live carbon-intensity provider (Carbon:Provider). Trace replay is for the local loop only.')
param carbonProvider string = 'electricitymaps'

@secure()
@description('Electricity Maps API token (Carbon:ElectricityMapsToken); required when carbonProvider is electricitymaps.')
param electricityMapsToken string = ''

@secure()
@description('WattTime user name (Carbon:WattTimeUsername); required when carbonProvider is watttime.')
param wattTimeUsername string = ''

@secure()
@description('WattTime password (Carbon:WattTimePassword); required when carbonProvider is watttime.')
param wattTimePassword string = ''

@secure()
@description('The key the Scheduler API requires in X-Api-Key. azd generates it once and keeps it in the environment.')
@metadata({ azd: { type: 'generate', config: { length: 32, noSpecial: true } } })
param schedulerApiKey string

@description('Serverless GPU profile for the trainers: Consumption-GPU-NC8as-T4 (T4 16 GB) or Consumption-GPU-NC24-A100 (A100 80 GB).')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@minValue(1)
@maxValue(10)
@description('Scheduler replicas always running. Each serves the API; one leads (a lease in the store, Leadership:LeaseSeconds) and plans and dispatches, another takes over within seconds when it stops (docs/deploy.md).')
param schedulerReplicas int = 2

@description('Azure Managed Redis SKU; Balanced_B0 is the smallest (0.5 GB).')
param redisSku string = 'Balanced_B0'

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: group
  params: { location: location, tags: tags, name: 'log-${token}' }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  scope: group
  params: { location: location, tags: tags, name: 'acr${token}' }
}

module store 'modules/redis.bicep' = {
  name: 'store'
  scope: group
  params: { location: location, tags: tags, name: 'redis-${token}', sku: redisSku }
}

module environment 'modules/environment.bicep' = {
  name: 'environment'
  scope: group
  params: {
    location: location
    tags: tags
    name: 'cae-${token}'
    logAnalyticsName: monitoring.outputs.name
    gpuProfileType: gpuProfileType
  }
}

var carbonSecrets = carbonProvider == 'electricitymaps'
  ? [{ name: 'electricitymaps-token', value: electricityMapsToken, setting: 'Carbon__ElectricityMapsToken' }]
  : carbonProvider == 'watttime'
      ? [
          { name: 'watttime-username', value: wattTimeUsername, setting: 'Carbon__WattTimeUsername' }
          { name: 'watttime-password', value: wattTimePassword, setting: 'Carbon__WattTimePassword' }
        ]
      : []

// What AppHost/Deployment/LiveGridComposition.cs puts in the manifest: the live grid, its cadence, GPU pause costs.
var schedulerSettings = concat([
  { name: 'Carbon__Provider', value: carbonProvider }
  { name: 'Carbon__RefreshSeconds', value: '900' }
  { name: 'Scheduler__ReplanSeconds', value: '300' }
  { name: 'Scheduler__DispatchSeconds', value: '60' }
  { name: 'Demo__Enabled', value: 'false' }
  { name: 'Scheduler__CheckpointSeconds', value: '30' }
  { name: 'Scheduler__ResumeSeconds', value: '60' }
  { name: 'Scheduler__CheckpointKWh', value: '0.002' }
  { name: 'Scheduler__ResumeKWh', value: '0.005' }
  { name: 'Scheduler__MigrationKWh', value: '0.01' }
], map(range(0, length(gridRegions)), i => { name: 'Carbon__Regions__${i}', value: gridRegions[i] }))

module scheduler 'modules/service-app.bicep' = {
  name: 'scheduler'
  scope: group
  params: {
    name: 'scheduler'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    registryName: registry.outputs.name
    pullIdentityId: registry.outputs.pullIdentityId
    redisName: store.outputs.name
    // Two or more: a restart, a scale-in or a lost node leaves a follower to take the lead within a lease period.
    minReplicas: schedulerReplicas
    maxReplicas: schedulerReplicas + 1
    settings: schedulerSettings
    secretSettings: {
      items: concat([{ name: 'scheduler-api-key', value: schedulerApiKey, setting: 'Scheduler__ApiKey' }], carbonSecrets)
    }
  }
}

module telemetry 'modules/service-app.bicep' = {
  name: 'telemetry'
  scope: group
  params: {
    name: 'telemetry'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    registryName: registry.outputs.name
    pullIdentityId: registry.outputs.pullIdentityId
    redisName: store.outputs.name
    secretSettings: { items: [] }
  }
}

module trainers 'modules/trainer.bicep' = [for region in gridRegions: {
  name: 'trainer-${toLower(region)}'
  scope: group
  params: {
    region: region
    location: location
    tags: tags
    environmentId: environment.outputs.id
    gpuProfileName: environment.outputs.gpuProfileName
    gpuCpu: gpuProfileType == 'Consumption-GPU-NC24-A100' ? '24' : '8'
    gpuMemory: gpuProfileType == 'Consumption-GPU-NC24-A100' ? '220Gi' : '56Gi'
    registryName: registry.outputs.name
    pullIdentityId: registry.outputs.pullIdentityId
    redisName: store.outputs.name
  }
}]

// azd reads these after provisioning: where to push images, and the addresses to print.
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_APPS_ENVIRONMENT_ID string = environment.outputs.id
output SCHEDULER_URL string = scheduler.outputs.url
output TELEMETRY_URL string = telemetry.outputs.url
