// One region's trainer on the serverless GPU profile, with no ingress (it only talks to the store). KEDA scales it
// from zero when its region's pending list has a command, and keeps it while the processing list holds the command it
// trains (a Start is acknowledged only when the run ends; see docs/store.md), so scaling in never cuts a run short.
param region string
param location string
param tags object
param environmentId string
param gpuProfileName string

@description('vCPUs of one GPU replica (the profile\'s whole share: 8 on the T4 profile, 24 on the A100 one).')
param gpuCpu string

@description('Memory of one GPU replica: 56Gi on the T4 profile, 220Gi on the A100 one.')
param gpuMemory string
param registryName string
param pullIdentityId string
param redisName string

var name = 'trainer-${toLower(region)}'

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

var storeKey = database.listKeys().primaryKey
var storeAddress = '${redis.properties.hostName}:10000'

// Key names from docs/store.md (StoreKeys.QueuePending / QueueProcessing).
var queueRule = [
  { name: 'pending', list: 'greentrain:queue:${region}:pending' }
  { name: 'processing', list: 'greentrain:queue:${region}:processing' }
]

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': name })
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${pullIdentityId}': {} } }
  properties: {
    environmentId: environmentId
    workloadProfileName: gpuProfileName
    configuration: {
      registries: [{ server: registry.properties.loginServer, identity: pullIdentityId }]
      secrets: [
        { name: 'store-connection', value: '${storeAddress},password=${storeKey},ssl=true,abortConnect=false' }
        { name: 'store-password', value: storeKey }
      ]
    }
    template: {
      containers: [
        {
          name: 'trainer'
          // azd deploy replaces this placeholder with the image built from Trainer/Dockerfile (CUDA LibTorch).
          image: 'mcr.microsoft.com/dotnet/samples:aspnetapp'
          resources: { cpu: json(gpuCpu), memory: gpuMemory }
          env: [
            { name: 'OTEL_SERVICE_NAME', value: name }
            { name: 'Worker__Region', value: region }
            { name: 'Worker__Device', value: 'cuda' }
            { name: 'Worker__LibTorch', value: '/opt/libtorch' }
            { name: 'ConnectionStrings__store', secretRef: 'store-connection' }
          ]
        }
      ]
      scale: {
        minReplicas: 0
        // One slot per region (Scheduler:Slots defaults to 1): more replicas would sit idle on a GPU.
        maxReplicas: 1
        rules: [for rule in queueRule: {
          name: rule.name
          custom: {
            type: 'redis'
            metadata: {
              address: storeAddress
              listName: rule.list
              listLength: '1'
              enableTLS: 'true'
            }
            auth: [{ secretRef: 'store-password', triggerParameter: 'password' }]
          }
        }]
      }
    }
  }
}

output name string = app.name
