import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';

import { contractDocumentViewSchema, documentUploadQuery, type Input } from '@bulwark/api-schema';
import { Allow, IdParam, Returns, ReturnsFile, ZodQuery } from '@bulwark/platform';

import { ContractDocuments } from './contract-documents.service.js';

@ApiTags('contracts')
@Controller('contracts')
export class ContractDocumentsController {
  constructor(private readonly documents: ContractDocuments) {}

  /**
   * The file is the request body, judged by its content like every evidence upload; `?name=` gives its file name.
   * It becomes evidence of kind `contract` linked to the contract.
   */
  @Post(':id/documents')
  @Allow('contract.write')
  @Returns(contractDocumentViewSchema, 201)
  upload(@IdParam() id: string, @Req() req: Request, @ZodQuery(documentUploadQuery) q: Input<typeof documentUploadQuery>) {
    return this.documents.upload(id, req, q.name);
  }

  @Get(':id/documents')
  @Allow('contract.read')
  @Returns(z.array(contractDocumentViewSchema))
  list(@IdParam() id: string) {
    return this.documents.list(id);
  }

  /** `documentId` is the evidence revision's id; served through the vault's download (hash verified). */
  @Get(':id/documents/:documentId')
  @Allow('contract.read')
  @ReturnsFile('*/*')
  download(@IdParam() id: string, @IdParam('documentId') documentId: string, @Res() res: Response) {
    return this.documents.download(id, documentId, res);
  }
}
