using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Grains.Interfaces.Signaling.Queues;

/// <summary>Registers the signal-queue stream provider (<see cref="SignalQueueAdapterFactory"/>) on silos and clients.</summary>
public static class SignalQueueStreams
{
    public static ISiloBuilder AddSignalQueueStreams(this ISiloBuilder silo, string name,
        Action<ISiloPersistentStreamConfigurator>? configure = null, Action<SignalQueueOptions>? options = null)
    {
        silo.Services.AddOptions<SignalQueueOptions>(name).Configure(o => options?.Invoke(o));
        return silo.AddPersistentStreams(name, SignalQueueAdapterFactory.Create, b => configure?.Invoke(b));
    }

    /// <summary>A client only produces; its <see cref="SignalQueueOptions.QueueCount"/> must match the silos'.</summary>
    public static IClientBuilder AddSignalQueueStreams(this IClientBuilder client, string name, Action<SignalQueueOptions>? options = null)
    {
        client.Services.AddOptions<SignalQueueOptions>(name).Configure(o => options?.Invoke(o));
        return client.AddPersistentStreams(name, SignalQueueAdapterFactory.Create, _ => { });
    }
}
