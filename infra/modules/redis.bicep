// The shared store: Azure Managed Redis, TLS only (port 10000), with an append-only file, and no eviction, since
// experiment records, queues and checkpoints must never be dropped to make room. Clients read the access key from
// the resource (listKeys) in the app modules; no key leaves through an output.
param name string
param location string
param tags object
param sku string

resource cluster 'Microsoft.Cache/redisEnterprise@2025-04-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: sku }
  properties: { minimumTlsVersion: '1.2' }
}

resource database 'Microsoft.Cache/redisEnterprise/databases@2025-04-01' = {
  parent: cluster
  name: 'default'
  properties: {
    clientProtocol: 'Encrypted'
    port: 10000
    // One endpoint that behaves like a single Redis: the store's Lua scripts and MULTI touch several keys.
    clusteringPolicy: 'EnterpriseCluster'
    evictionPolicy: 'NoEviction'
    accessKeysAuthentication: 'Enabled'
    persistence: { aofEnabled: true, aofFrequency: '1s' }
  }
}

output name string = cluster.name
output hostName string = cluster.properties.hostName
output port int = database.properties.port
