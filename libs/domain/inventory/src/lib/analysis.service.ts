import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { ConcentrationReport, DependencyMap, SinglePointOfFailure } from '@bulwark/api-schema';
import { scoped } from '@bulwark/platform';

import { concentration, dependencyMap, singlePointsOfFailure, type Graph } from './analysis.js';
import { Dependency } from './dependency.entity.js';
import { InternalSystem } from './internal-system.entity.js';
import { Service } from './service.entity.js';
import { SubcontractorLink } from './subcontractor-link.entity.js';
import { Vendor } from './vendor.entity.js';

/** Loads the organization's inventory graph once per request and runs the pure analyses on it. */
@Injectable()
export class AnalysisService {
  constructor(private readonly dataSource: DataSource) {}

  async graph(): Promise<Graph> {
    const m = this.dataSource.manager;
    const [systems, vendors, services, dependencies, links] = await Promise.all([
      scoped(m, InternalSystem, 'x').select(['x.id', 'x.name', 'x.criticality']).getMany(),
      scoped(m, Vendor, 'x').select(['x.id', 'x.name', 'x.tier']).getMany(),
      scoped(m, Service, 'x').select(['x.id', 'x.name', 'x.vendorId', 'x.kind', 'x.regions']).getMany(),
      scoped(m, Dependency, 'x').select(['x.id', 'x.systemId', 'x.serviceId', 'x.criticality', 'x.alternativeServiceId']).getMany(),
      scoped(m, SubcontractorLink, 'x').select(['x.serviceId', 'x.subServiceId']).getMany(),
    ]);
    return { systems, vendors, services, dependencies, links };
  }

  async map(): Promise<DependencyMap> {
    return dependencyMap(await this.graph());
  }

  async spofs(): Promise<SinglePointOfFailure[]> {
    return singlePointsOfFailure(await this.graph());
  }

  async concentration(): Promise<ConcentrationReport> {
    return concentration(await this.graph());
  }
}
