// The Container Apps environment: a Consumption profile for the Scheduler and Telemetry, and a serverless GPU
// profile the trainers run on (billed per second while a replica runs; trainers scale to zero between commands).
param name string
param location string
param tags object
param logAnalyticsName string
param gpuProfileType string

var gpuProfileName = 'gpu'

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: logAnalyticsName
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
      { name: gpuProfileName, workloadProfileType: gpuProfileType }
    ]
  }
}

output id string = environment.id
output gpuProfileName string = gpuProfileName
