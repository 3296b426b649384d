import { ResultPartitionID } from '../partition/ResultPartitionID';
import { NettyShuffleDescriptor } from './NettyShuffleDescriptor';
import { LocalExecutionPartitionConnectionInfo, NetworkPartitionConnectionInfo } from './PartitionConnectionInfo';
import type { PartitionDescriptor, ProducerDescriptor, ShuffleMaster } from './ShuffleMaster';

/**
 * Port of org.apache.flink.runtime.shuffle.NettyShuffleMaster (Flink 1.20). Differs: no memory sizing
 * (`computeShuffleMemorySizeForTask`) and no job registration hooks.
 *
 * Hands out {@link NettyShuffleDescriptor}s: the producer's process and data address plus the partition's
 * connection index. Stateless: the data stays in the producer's process, so there is nothing to release
 * externally.
 */
export class NettyShuffleMaster implements ShuffleMaster<NettyShuffleDescriptor> {
  registerPartitionWithProducer(_jobId: string, partition: PartitionDescriptor, producer: ProducerDescriptor): Promise<NettyShuffleDescriptor> {
    const resultPartitionId = new ResultPartitionID(partition.partitionId, producer.producerExecutionId);
    const info =
      producer.dataPort >= 0
        ? new NetworkPartitionConnectionInfo(producer.address, producer.dataPort, partition.connectionIndex)
        : LocalExecutionPartitionConnectionInfo.INSTANCE;
    return Promise.resolve(new NettyShuffleDescriptor(producer.producerLocation, info, resultPartitionId));
  }

  releasePartitionExternally(_descriptor: NettyShuffleDescriptor): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}
